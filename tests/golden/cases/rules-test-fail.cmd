$FRONTDOOR rules test failing.yaml
