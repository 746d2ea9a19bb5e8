$FRONTDOOR rules check mistakes/indicator-without-level.yaml
