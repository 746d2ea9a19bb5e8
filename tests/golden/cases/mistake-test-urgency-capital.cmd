$FRONTDOOR rules check mistakes/test-urgency-capital.yaml
