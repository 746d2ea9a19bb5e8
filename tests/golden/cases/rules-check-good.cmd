$FRONTDOOR rules check good.yaml
