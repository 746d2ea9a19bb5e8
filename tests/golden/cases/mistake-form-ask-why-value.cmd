$FRONTDOOR rules check mistakes/form-ask-why-value.yaml
