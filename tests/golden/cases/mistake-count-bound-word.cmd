$FRONTDOOR rules check mistakes/count-bound-word.yaml
