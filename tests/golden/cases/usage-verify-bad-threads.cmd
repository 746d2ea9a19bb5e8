$FRONTDOOR verify --threads 0
