$FRONTDOOR rules check mistakes/rule-without-when.yaml
