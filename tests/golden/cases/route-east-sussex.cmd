$FRONTDOOR route --rules ../../../rules/east-sussex-continuum.yaml east-sussex.jsonl
