$FRONTDOOR rules check mistakes/unclosed-brace.yaml
