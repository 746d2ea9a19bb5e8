$FRONTDOOR rules check mistakes/council-outcomes.yaml
