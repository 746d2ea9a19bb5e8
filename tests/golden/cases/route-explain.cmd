$FRONTDOOR route --explain --rules good.yaml explain.jsonl
