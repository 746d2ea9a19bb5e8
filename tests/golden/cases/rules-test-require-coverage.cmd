$FRONTDOOR rules test --require-coverage partial.yaml
