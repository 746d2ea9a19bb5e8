$FRONTDOOR step-up D-000014 --urgency purple --rationale "New disclosure at school today about home."
