$FRONTDOOR rules check mistakes/apostrophe-single-quoted.yaml
