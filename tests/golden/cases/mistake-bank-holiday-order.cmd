$FRONTDOOR rules check mistakes/bank-holiday-order.yaml
