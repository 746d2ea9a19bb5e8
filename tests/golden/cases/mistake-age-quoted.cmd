$FRONTDOOR rules check mistakes/age-quoted.yaml
