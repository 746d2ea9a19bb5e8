$FRONTDOOR route --rules syntax.yaml cases.jsonl
