$FRONTDOOR rules check mistakes/indicator-without-text.yaml
