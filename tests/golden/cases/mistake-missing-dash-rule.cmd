$FRONTDOOR rules check mistakes/missing-dash-rule.yaml
