$FRONTDOOR log --kind
