$FRONTDOOR route --rules good.yaml nosuch.jsonl
