$FRONTDOOR rules check mistakes/council-bank-holiday-weekend.yaml
