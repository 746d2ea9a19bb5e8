$FRONTDOOR rules check mistakes/test-unknown-fact-key.yaml; $FRONTDOOR rules test mistakes/test-unknown-fact-key.yaml
