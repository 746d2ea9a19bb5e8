$FRONTDOOR --bogus
