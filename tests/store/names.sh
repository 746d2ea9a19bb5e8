#!/bin/sh
# names.sh: file and directory names holding terminal escapes, BEL and bidi controls reach
# stdout and stderr sanitised, in every message that names them.

. "$(dirname "$0")/lib.sh"

# OSC 52 (set the clipboard), BEL, a colour, RIGHT-TO-LEFT OVERRIDE and a C1 CSI
N=$(printf 'x\033]52;c;SGk=\007\033[31m\342\200\256\302\233')
SHOWN='x\?\]52;c;SGk=\?\?\[31m\?\?'
cp "$POLICY" "$T/$N.yaml"
{ head -n 3 "$CASES"; echo 'not json'; } >"$T/$N.jsonl"

# run NAME COMMAND...: the command's stdout and stderr in $T/NAME.out and $T/NAME.err,
# both checked for raw control characters
run() {
	_name=$1; shift
	"$@" >"$T/$_name.out" 2>"$T/$_name.err"
	_rc=$?
	check_clean "$_name: stdout" "$T/$_name.out"
	check_clean "$_name: stderr" "$T/$_name.err"
	return $_rc
}

run check "$FRONTDOOR" rules check "$T/$N.yaml"
check_grep "rules check names the file sanitised" "$SHOWN\\.yaml: ok: " "$T/check.out"

run check-missing "$FRONTDOOR" rules check "$T/nope$N.yaml"
check_grep "a missing rule file is named sanitised" "nope$SHOWN\\.yaml: error\\[E000\\]" "$T/check-missing.err"
check_grep "and so is the rejection" "nope$SHOWN\\.yaml: rule file rejected" "$T/check-missing.err"

printf 'frontdoor: 1\nname: "\\e[2J"\n' >"$T/$N-bad.yaml"
run check-bad "$FRONTDOOR" rules check "$T/$N-bad.yaml"
check_grep "a positioned error names the file sanitised" "$SHOWN-bad\\.yaml:[0-9]+:[0-9]+: error" "$T/check-bad.err"

run route "$FRONTDOOR" route --rules "$T/$N.yaml" "$T/$N.jsonl"
check_grep "a rejected line names the input sanitised" "$SHOWN\\.jsonl:4: rejected: " "$T/route.err"

run route-missing "$FRONTDOOR" route --rules "$T/$N.yaml" "$T/nope$N.jsonl"
check_grep "a missing input is named sanitised" "^frontdoor route: .*nope$SHOWN\\.jsonl: No such file" "$T/route-missing.err"

run init "$FRONTDOOR" --db "$T/db" init --rules "$T/$N.yaml"
check_grep "init names the rule file sanitised" "^  rules in force: sha256:[0-9a-f]{64} \\(.*$SHOWN\\.yaml\\)\$" "$T/init.out"

run init-dir "$FRONTDOOR" --db "$T/d$N" init --rules "$POLICY"
check_grep "init names the directory sanitised" "^created .*/d$SHOWN\$" "$T/init-dir.out"

run option "$FRONTDOOR" "--$N"
check_grep "an unknown option is quoted sanitised" "^frontdoor: unknown option '--$SHOWN'" "$T/option.err"

# the rule set's own text: its version when published, its name in whatif
sed "s/^version: .*/version: \"bench\\\\e]52;c;SGk=\\\\a\"/; s/^name: .*/name: \"policy \\\\u202e\\\\x9b\"/" \
    "$POLICY" >"$T/v.yaml"
run publish "$FRONTDOOR" --db "$T/db" rules publish "$T/v.yaml"
check_grep "publish shows the version sanitised" '^published 2: sha256:[0-9a-f]{64} \(policy \?\? bench\?\]52;c;SGk=\?\)$' "$T/publish.out"
if [ "$(id -u)" -eq 0 ]; then
	"$FRONTDOOR" --db "$T/db" users add aud1 auditor
	run whatif "$FRONTDOOR" --db "$T/db" --as aud1 whatif --rules "$T/v.yaml"
	check_grep "whatif names the rule set sanitised" '^0 decisions replayed under policy \?\? ' "$T/whatif.out"
fi
finish
