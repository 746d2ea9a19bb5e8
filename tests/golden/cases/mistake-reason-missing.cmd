$FRONTDOOR rules check mistakes/reason-missing.yaml
