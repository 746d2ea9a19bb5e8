$FRONTDOOR rules check mistakes/test-value-not-allowed.yaml; $FRONTDOOR rules test mistakes/test-value-not-allowed.yaml
