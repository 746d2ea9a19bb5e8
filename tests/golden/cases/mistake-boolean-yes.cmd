$FRONTDOOR rules check mistakes/boolean-yes.yaml
