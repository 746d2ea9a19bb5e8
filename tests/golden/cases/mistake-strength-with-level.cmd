$FRONTDOOR rules check mistakes/strength-with-level.yaml
