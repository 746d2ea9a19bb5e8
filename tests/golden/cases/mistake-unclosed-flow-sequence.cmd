$FRONTDOOR rules check mistakes/unclosed-flow-sequence.yaml
