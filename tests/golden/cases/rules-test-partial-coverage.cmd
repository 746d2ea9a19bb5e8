$FRONTDOOR rules test partial.yaml
