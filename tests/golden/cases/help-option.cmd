$FRONTDOOR --help
