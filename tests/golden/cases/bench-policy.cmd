$FRONTDOOR rules check ../../../bench/policy.yaml && $FRONTDOOR rules test --require-coverage ../../../bench/policy.yaml
