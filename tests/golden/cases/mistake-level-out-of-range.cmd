$FRONTDOOR rules check mistakes/level-out-of-range.yaml
