$FRONTDOOR rules check --help
