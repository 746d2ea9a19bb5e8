$FRONTDOOR rules check mistakes/always-typo.yaml
