$FRONTDOOR rules check mistakes/in-not-a-list.yaml
