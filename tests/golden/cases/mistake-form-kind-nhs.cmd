$FRONTDOOR rules check mistakes/form-kind-nhs.yaml
