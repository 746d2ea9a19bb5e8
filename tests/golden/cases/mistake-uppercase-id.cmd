$FRONTDOOR rules check mistakes/uppercase-id.yaml
