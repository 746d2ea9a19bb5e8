$FRONTDOOR rules check mistakes/test-indicators-string.yaml; $FRONTDOOR rules test mistakes/test-indicators-string.yaml
