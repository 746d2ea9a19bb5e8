$FRONTDOOR rules check mistakes/form-kind-typo.yaml
