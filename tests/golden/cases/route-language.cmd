$FRONTDOOR route --explain --rules language.yaml language.jsonl
