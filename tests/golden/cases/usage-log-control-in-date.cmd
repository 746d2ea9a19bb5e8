$FRONTDOOR log --until "$(printf '2026-01-01\033[2J')"
