$FRONTDOOR --version
