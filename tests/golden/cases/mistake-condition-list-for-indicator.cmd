$FRONTDOOR rules check mistakes/condition-list-for-indicator.yaml
