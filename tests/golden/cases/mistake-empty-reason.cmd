$FRONTDOOR rules check mistakes/empty-reason.yaml
