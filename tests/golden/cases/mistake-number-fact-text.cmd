$FRONTDOOR rules check mistakes/number-fact-text.yaml
