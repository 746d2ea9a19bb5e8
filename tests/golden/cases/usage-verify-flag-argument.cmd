$FRONTDOOR verify --quiet=yes
