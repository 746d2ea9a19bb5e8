$FRONTDOOR log --since 2026-1-5
