$FRONTDOOR rules check mistakes/test-wrong-type.yaml; $FRONTDOOR rules test mistakes/test-wrong-type.yaml
