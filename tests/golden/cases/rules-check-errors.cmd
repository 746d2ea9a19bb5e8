$FRONTDOOR rules check errors.yaml
