$FRONTDOOR rules check unreachable.yaml
