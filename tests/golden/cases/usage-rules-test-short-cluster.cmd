$FRONTDOOR rules test -vx good.yaml
