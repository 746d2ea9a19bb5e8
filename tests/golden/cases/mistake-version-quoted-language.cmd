$FRONTDOOR rules check mistakes/version-quoted-language.yaml
