$FRONTDOOR rules check mistakes/typo-flag.yaml
