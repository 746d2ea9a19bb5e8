$FRONTDOOR rules check mistakes/duplicate-key.yaml
