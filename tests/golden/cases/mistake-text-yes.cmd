$FRONTDOOR rules check mistakes/text-yes.yaml
