$FRONTDOOR rules check mistakes/council-form-typo.yaml
