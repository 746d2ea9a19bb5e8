$FRONTDOOR rules check warnings.yaml
