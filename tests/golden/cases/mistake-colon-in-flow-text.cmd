$FRONTDOOR rules check mistakes/colon-in-flow-text.yaml
