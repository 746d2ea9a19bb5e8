$FRONTDOOR rules check mistakes/duplicate-rule-id.yaml
