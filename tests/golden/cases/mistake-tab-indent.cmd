$FRONTDOOR rules check mistakes/tab-indent.yaml
