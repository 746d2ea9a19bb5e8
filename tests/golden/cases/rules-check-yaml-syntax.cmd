$FRONTDOOR rules check syntax.yaml
