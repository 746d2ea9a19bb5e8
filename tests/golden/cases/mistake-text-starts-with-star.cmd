$FRONTDOOR rules check mistakes/text-starts-with-star.yaml
