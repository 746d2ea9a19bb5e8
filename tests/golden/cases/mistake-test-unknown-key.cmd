$FRONTDOOR rules check mistakes/test-unknown-key.yaml; $FRONTDOOR rules test mistakes/test-unknown-key.yaml
