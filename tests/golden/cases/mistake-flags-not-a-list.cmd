$FRONTDOOR rules check mistakes/flags-not-a-list.yaml
