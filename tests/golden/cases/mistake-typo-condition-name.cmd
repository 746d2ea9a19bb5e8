$FRONTDOOR rules check mistakes/typo-condition-name.yaml
