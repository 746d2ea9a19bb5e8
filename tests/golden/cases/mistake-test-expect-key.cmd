$FRONTDOOR rules check mistakes/test-expect-key.yaml
