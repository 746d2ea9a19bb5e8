$FRONTDOOR rules check alias.yaml
