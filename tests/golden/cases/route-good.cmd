$FRONTDOOR route --rules good.yaml cases.jsonl
