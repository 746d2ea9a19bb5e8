$FRONTDOOR verify --vkey /nonexistent
