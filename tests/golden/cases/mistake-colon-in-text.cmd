$FRONTDOOR rules check mistakes/colon-in-text.yaml
