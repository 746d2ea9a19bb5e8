$FRONTDOOR rules check mistakes/council-free-text.yaml
