$FRONTDOOR rules check mistakes/duplicate-district.yaml
