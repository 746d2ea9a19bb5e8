$FRONTDOOR rules check mistakes/typo-test-route.yaml
