$FRONTDOOR rules check mistakes/typo-test-rule.yaml
