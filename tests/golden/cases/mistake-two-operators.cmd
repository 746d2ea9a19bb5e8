$FRONTDOOR rules check mistakes/two-operators.yaml
