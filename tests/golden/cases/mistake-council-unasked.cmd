$FRONTDOOR rules check mistakes/council-unasked.yaml
