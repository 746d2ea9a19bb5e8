$FRONTDOOR rules check mistakes/test-missing-required.yaml; $FRONTDOOR rules test mistakes/test-missing-required.yaml
