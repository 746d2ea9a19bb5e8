$FRONTDOOR route --explain --rules bidi.yaml bidi.jsonl
