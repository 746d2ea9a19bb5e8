$FRONTDOOR log --last 0 --format csv
