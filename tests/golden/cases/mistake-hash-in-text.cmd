$FRONTDOOR rules check mistakes/hash-in-text.yaml
