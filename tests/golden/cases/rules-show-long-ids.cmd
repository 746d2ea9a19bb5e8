$FRONTDOOR rules show long-ids.yaml
