$FRONTDOOR rules check mistakes/key-indented-deeper.yaml
