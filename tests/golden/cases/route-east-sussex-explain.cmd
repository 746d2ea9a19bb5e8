head -n 1 east-sussex.jsonl | $FRONTDOOR route --explain --rules ../../../rules/east-sussex-continuum.yaml
