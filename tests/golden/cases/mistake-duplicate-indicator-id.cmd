$FRONTDOOR rules check mistakes/duplicate-indicator-id.yaml
