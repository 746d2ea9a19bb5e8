$FRONTDOOR rules check mistakes/typo-top-key.yaml
