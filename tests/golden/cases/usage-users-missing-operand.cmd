$FRONTDOOR --db db users add a.khan
