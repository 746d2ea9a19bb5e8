$FRONTDOOR stats --since 2026-1-5
