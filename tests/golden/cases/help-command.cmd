$FRONTDOOR decide --help
