$FRONTDOOR rules check mistakes/text-starts-with-quote.yaml
