$FRONTDOOR rules check mistakes/unclosed-double-quote.yaml
