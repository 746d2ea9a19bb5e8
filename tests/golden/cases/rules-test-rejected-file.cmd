$FRONTDOOR rules test unreachable.yaml
