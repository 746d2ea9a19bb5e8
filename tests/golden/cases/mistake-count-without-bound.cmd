$FRONTDOOR rules check mistakes/count-without-bound.yaml
