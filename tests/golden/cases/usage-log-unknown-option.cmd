$FRONTDOOR log --bogus=secret-value
