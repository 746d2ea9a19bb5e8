$FRONTDOOR log --kind bogus
