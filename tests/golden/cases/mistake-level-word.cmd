$FRONTDOOR rules check mistakes/level-word.yaml
