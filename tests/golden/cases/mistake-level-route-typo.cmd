$FRONTDOOR rules check mistakes/level-route-typo.yaml
