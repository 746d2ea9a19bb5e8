$FRONTDOOR rules check mistakes/text-starts-with-ampersand.yaml
