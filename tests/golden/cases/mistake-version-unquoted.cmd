$FRONTDOOR rules check mistakes/version-unquoted.yaml
