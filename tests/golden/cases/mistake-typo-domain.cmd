$FRONTDOOR rules check mistakes/typo-domain.yaml
