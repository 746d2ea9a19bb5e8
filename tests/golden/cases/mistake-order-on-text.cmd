$FRONTDOOR rules check mistakes/order-on-text.yaml
