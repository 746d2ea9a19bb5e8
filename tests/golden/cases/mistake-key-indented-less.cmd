$FRONTDOOR rules check mistakes/key-indented-less.yaml
