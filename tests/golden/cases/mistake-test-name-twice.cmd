$FRONTDOOR rules check mistakes/test-name-twice.yaml
