$FRONTDOOR rules show good.yaml
