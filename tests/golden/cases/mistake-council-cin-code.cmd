$FRONTDOOR rules check mistakes/council-cin-code.yaml
