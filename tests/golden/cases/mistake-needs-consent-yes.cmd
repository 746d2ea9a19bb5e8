$FRONTDOOR rules check mistakes/needs-consent-yes.yaml
