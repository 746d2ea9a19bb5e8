$FRONTDOOR rules check mistakes/text-starts-with-dash.yaml
