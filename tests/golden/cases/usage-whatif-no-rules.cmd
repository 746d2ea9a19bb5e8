$FRONTDOOR whatif good.yaml
