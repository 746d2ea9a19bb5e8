$FRONTDOOR rules check mistakes/bank-holiday-format.yaml
