$FRONTDOOR rules check mistakes/missing-space-after-dash.yaml
