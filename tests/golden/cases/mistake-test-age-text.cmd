$FRONTDOOR rules check mistakes/test-age-text.yaml; $FRONTDOOR rules test mistakes/test-age-text.yaml
