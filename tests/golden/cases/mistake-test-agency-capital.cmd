$FRONTDOOR rules check mistakes/test-agency-capital.yaml; $FRONTDOOR rules test mistakes/test-agency-capital.yaml
