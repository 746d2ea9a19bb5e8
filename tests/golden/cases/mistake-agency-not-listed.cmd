$FRONTDOOR rules check mistakes/agency-not-listed.yaml
