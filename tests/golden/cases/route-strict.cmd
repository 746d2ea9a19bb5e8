$FRONTDOOR route --strict --rules good.yaml bad.jsonl
