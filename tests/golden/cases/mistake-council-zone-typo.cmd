$FRONTDOOR rules check mistakes/council-zone-typo.yaml
