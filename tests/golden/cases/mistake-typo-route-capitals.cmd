$FRONTDOOR rules check mistakes/typo-route-capitals.yaml
