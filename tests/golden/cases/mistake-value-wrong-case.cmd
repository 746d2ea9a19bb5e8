$FRONTDOOR rules check mistakes/value-wrong-case.yaml
