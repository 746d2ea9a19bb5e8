$FRONTDOOR rules check ../../../rules/east-sussex-continuum.yaml && $FRONTDOOR rules test --require-coverage ../../../rules/east-sussex-continuum.yaml
