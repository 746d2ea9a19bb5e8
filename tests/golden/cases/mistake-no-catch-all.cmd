$FRONTDOOR rules check mistakes/no-catch-all.yaml
