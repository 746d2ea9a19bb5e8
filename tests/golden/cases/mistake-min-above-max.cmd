$FRONTDOOR rules check mistakes/min-above-max.yaml
