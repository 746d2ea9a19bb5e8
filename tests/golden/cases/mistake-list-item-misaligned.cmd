$FRONTDOOR rules check mistakes/list-item-misaligned.yaml
