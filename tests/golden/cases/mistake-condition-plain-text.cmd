$FRONTDOOR rules check mistakes/condition-plain-text.yaml
