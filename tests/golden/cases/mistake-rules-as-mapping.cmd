$FRONTDOOR rules check mistakes/rules-as-mapping.yaml
