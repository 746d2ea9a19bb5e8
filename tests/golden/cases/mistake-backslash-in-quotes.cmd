$FRONTDOOR rules check mistakes/backslash-in-quotes.yaml
