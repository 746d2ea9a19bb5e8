$FRONTDOOR rules check mistakes/urgency-unknown.yaml
