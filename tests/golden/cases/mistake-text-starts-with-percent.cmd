$FRONTDOOR rules check mistakes/text-starts-with-percent.yaml
