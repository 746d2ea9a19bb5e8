$FRONTDOOR route --rules good.yaml bad.jsonl
