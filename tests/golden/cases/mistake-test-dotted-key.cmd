$FRONTDOOR rules check mistakes/test-dotted-key.yaml; $FRONTDOOR rules test mistakes/test-dotted-key.yaml
