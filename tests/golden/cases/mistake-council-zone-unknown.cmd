$FRONTDOOR rules check mistakes/council-zone-unknown.yaml
