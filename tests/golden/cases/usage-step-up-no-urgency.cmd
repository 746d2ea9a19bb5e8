$FRONTDOOR step-up D-000014 --rationale "New disclosure at school today about home."
