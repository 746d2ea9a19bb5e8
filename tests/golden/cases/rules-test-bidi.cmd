$FRONTDOOR rules test bidi.yaml
