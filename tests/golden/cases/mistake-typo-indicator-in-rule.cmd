$FRONTDOOR rules check mistakes/typo-indicator-in-rule.yaml
