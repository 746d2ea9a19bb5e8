$FRONTDOOR rules check mistakes/empty-all.yaml
