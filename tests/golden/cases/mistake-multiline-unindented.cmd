$FRONTDOOR rules check mistakes/multiline-unindented.yaml
