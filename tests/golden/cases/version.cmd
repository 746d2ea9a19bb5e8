$FRONTDOOR version
