$FRONTDOOR rules check mistakes/council-agency-values.yaml
