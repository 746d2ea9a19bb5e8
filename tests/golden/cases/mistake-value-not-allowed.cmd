$FRONTDOOR rules check mistakes/value-not-allowed.yaml
