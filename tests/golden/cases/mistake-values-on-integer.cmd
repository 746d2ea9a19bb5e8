$FRONTDOOR rules check mistakes/values-on-integer.yaml
