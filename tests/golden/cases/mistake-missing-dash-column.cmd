$FRONTDOOR rules check mistakes/missing-dash-column.yaml
