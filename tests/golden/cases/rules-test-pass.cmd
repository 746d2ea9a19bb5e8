$FRONTDOOR rules test good.yaml
