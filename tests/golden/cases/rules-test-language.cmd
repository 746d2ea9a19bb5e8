$FRONTDOOR rules test --require-coverage language.yaml
