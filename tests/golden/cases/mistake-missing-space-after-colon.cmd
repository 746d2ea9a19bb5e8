$FRONTDOOR rules check mistakes/missing-space-after-colon.yaml
