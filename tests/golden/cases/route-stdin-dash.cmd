cat cases.jsonl | $FRONTDOOR route --rules good.yaml -
