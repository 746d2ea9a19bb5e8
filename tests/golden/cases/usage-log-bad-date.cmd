$FRONTDOOR log --since 2026-02-30
