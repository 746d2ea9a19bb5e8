$FRONTDOOR log --until " 2026-01-05"
