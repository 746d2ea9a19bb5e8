$FRONTDOOR init --bogus
