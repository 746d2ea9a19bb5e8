$FRONTDOOR rules test language-fail.yaml
