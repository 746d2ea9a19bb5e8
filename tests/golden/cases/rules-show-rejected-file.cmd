$FRONTDOOR rules show syntax.yaml
