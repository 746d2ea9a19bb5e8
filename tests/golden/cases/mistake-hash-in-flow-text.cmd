$FRONTDOOR rules check mistakes/hash-in-flow-text.yaml
