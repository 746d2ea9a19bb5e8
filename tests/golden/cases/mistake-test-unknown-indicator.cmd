$FRONTDOOR rules check mistakes/test-unknown-indicator.yaml; $FRONTDOOR rules test mistakes/test-unknown-indicator.yaml
