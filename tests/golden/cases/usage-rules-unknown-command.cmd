$FRONTDOOR rules bogus
