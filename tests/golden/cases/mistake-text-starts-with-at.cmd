$FRONTDOOR rules check mistakes/text-starts-with-at.yaml
