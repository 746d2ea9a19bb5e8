$FRONTDOOR users list --force
