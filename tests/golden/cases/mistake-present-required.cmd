$FRONTDOOR rules check mistakes/present-required.yaml
