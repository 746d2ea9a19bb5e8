$FRONTDOOR rules check mistakes/not-with-list.yaml
