$FRONTDOOR rules check mistakes/level-short-wide.yaml
