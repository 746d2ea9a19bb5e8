$FRONTDOOR rules check mistakes/condition-names-strength.yaml
