$FRONTDOOR stats --until 2026-02-30
