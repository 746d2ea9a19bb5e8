$FRONTDOOR rules test --verbose --require-coverage good.yaml
