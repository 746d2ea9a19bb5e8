$FRONTDOOR rules check mistakes/typo-fact-in-rule.yaml
