$FRONTDOOR route --rules nosuch.yaml cases.jsonl
