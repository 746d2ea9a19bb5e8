$FRONTDOOR rules check mistakes/district-in-rule-typo.yaml
