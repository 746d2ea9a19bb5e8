$FRONTDOOR rules show language.yaml
