$FRONTDOOR rules check mistakes/typo-rule-key.yaml
