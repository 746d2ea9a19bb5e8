$FRONTDOOR rules check mistakes/typo-list-name.yaml
