$FRONTDOOR rules check mistakes/agency-without-code.yaml
