$FRONTDOOR rules check mistakes/fact-type-unknown.yaml
