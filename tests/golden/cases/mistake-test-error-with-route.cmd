$FRONTDOOR rules check mistakes/test-error-with-route.yaml
