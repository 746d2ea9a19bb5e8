#!/bin/sh
# cli.sh: the database commands as people use them: refusals that name the role needed and
# change nothing, log filters and formats, pseudonymised exports, checkpoints, rule changes.

. "$(dirname "$0")/lib.sh"
need_root

DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
fd "$DB" - users add off2 officer || fail "users add off2"
# init's publication and the grants come first: decision N of this script is seq OFF+N
OFF=$(log_count "$DB")
s() { echo $((OFF + $1)); }
head -n 100 "$CASES" >"$T/a.jsonl"
tail -n 100 "$CASES" >"$T/b.jsonl"

# ---- a log with every kind of record, in two different seconds ----
fd "$DB" off1 route --record "$T/a.jsonl" >"$T/a.out" 2>"$T/err" || { fail "route --record a"; cat "$T/err"; }
TA=$(date -u +%s)
while [ "$(date -u +%s)" -le "$TA" ]; do sleep 0.05; done
fd "$DB" off2 route --record "$T/b.jsonl" >"$T/b.out" 2>"$T/err" || { fail "route --record b"; cat "$T/err"; }
Z=Z-SECRET-CASE-0001
cat >"$T/z.json" <<EOF
{"case_id":"$Z","received":"2026-02-02T09:01:00Z","child":{"age":13,"district":"Broxtowe"},"referrer":{"agency":"health"},"consent":"given","indicators":["dev.l2_09"],"notes":"SECRET-NOTES about the family at 12 Acacia Road"}
EOF
fd "$DB" off1 decide --override mash --rationale "SECRET-RATIONALE, the school reported more" \
    --feedback "SECRET-FEEDBACK to the referrer" "$T/z.json" >"$T/out" 2>&1 || { fail "decide --override"; cat "$T/out"; }
fd "$DB" mgr1 sign-off "$(s 201)" --approve >"$T/out" 2>&1 || { fail "sign-off"; cat "$T/out"; }
fd "$DB" eh1 step-down "$Z" --rationale "SECRET-STEPDOWN agreed with the family" >"$T/out" 2>&1 ||
	{ fail "step-down"; cat "$T/out"; }
fd "$DB" mgr1 outcome "$Z" needs_met --note "SECRET-OUTCOME-NOTE all resolved" >"$T/out" 2>&1 ||
	{ fail "outcome"; cat "$T/out"; }
fd "$DB" off1 correct "$(s 150)" --rationale '=HYPERLINK("x") SECRET-CORRECTION, wrong district' >"$T/out" 2>&1 ||
	{ fail "correct"; cat "$T/out"; }
TOTAL=$(s 205)
check_eq "records after the setup" "$(log_count "$DB")" $TOTAL

# rows COMMAND...: data rows of a CSV export (header dropped), into $T/rows
rows() { "$@" --format csv >"$T/rows.all" 2>"$T/rows.err"; _rc=$?; tail -n +2 "$T/rows.all" >"$T/rows"; return $_rc; }
nrows() { wc -l <"$T/rows" | tr -d ' '; }
seqs() { cut -d, -f1 "$T/rows" | tr '\n' ' ' | sed 's/ $//'; }

# ---- refusals: exit 1, the role needed is named, nothing changes ----
fd "$DB" - users list >"$T/users.before"
fd "$DB" aud1 rules history >"$T/rules.before"
# refused WHO 'ROLES NEEDED' COMMAND...: exit 1 and a message naming the roles
refused() {
	_who=$1 _need=$2; shift 2
	fd "$DB" "$_who" "$@" >"$T/refused.out" 2>"$T/refused.err" </dev/null
	_rc=$?
	check_eq "$_who $1: refused with exit 1" "$_rc" 1
	check_grep "$_who $1: says it needs $_need" "refused: to .* you need the $_need role" "$T/refused.err"
	check_nogrep "$_who $1: prints no decision" '"seq"' "$T/refused.out"
}
refused aud1 'officer or manager' route --record "$T/a.jsonl"
check_grep "the refusal names the user's own role" 'user aud1 is auditor' "$T/refused.err"
refused eh1 'officer or manager' route --record --batch 1 "$T/a.jsonl"
refused stranger 'officer or manager' route --record "$T/a.jsonl"
check_grep "a user with no role is told so" 'user stranger has no role in this database' "$T/refused.err"
refused aud1 'officer or manager' decide --override mash --rationale "an auditor should not decide" "$T/z.json"
refused off1 'early_help or manager' outcome C-00000001 needs_met
refused off1 'manager' sign-off "$(s 201)" --approve
refused off1 'admin' users add mallory admin
refused off1 'admin' users remove aud1
refused mgr1 'admin' users add mallory officer
refused off1 'admin' rules publish "$POLICY"
refused off1 'manager or auditor' verify
refused off1 'manager or auditor' whatif --rules "$POLICY"
refused off1 'manager, auditor or admin' checkpoint
refused - 'officer, early_help, manager or auditor' log
refused eh1 'manager, auditor or admin' rules history
check_eq "no refused command changed the log" "$(log_count "$DB")" $TOTAL
fd "$DB" - users list >"$T/users.after"
check "no refused command changed the users" cmp -s "$T/users.before" "$T/users.after"
fd "$DB" aud1 rules history >"$T/rules.after"
check "no refused command published rules" cmp -s "$T/rules.before" "$T/rules.after"
fd "$DB" - users remove root >"$T/out" 2>&1
check_eq "the last admin cannot be removed" $? 1
check_grep "removing the last admin says why" 'last admin' "$T/out"
fd "$DB" mgr1 sign-off "$(s 203)" --approve >"$T/out" 2>&1
check_eq "a manager signs off the step-down (203)" $? 0
fd "$DB" eh1 sign-off "$(s 204)" --approve >"$T/out" 2>&1
check_eq "an early help worker cannot sign off" $? 1
TOTAL=$(s 206)
check_eq "records after the sign-off" "$(log_count "$DB")" $TOTAL

# ---- log filters ----
rows fd "$DB" aud1 log
check_grep "csv header" '^seq,time,kind,actor,role,case_id,ruleset,recommended_route,recommended_level,recommended_rule,route,level,rationale,outcome,ref,hash,user,need_level$' "$T/rows.all"
check_eq "csv: every record" "$(nrows)" $TOTAL
check_eq "csv rows in seq order" "$(cut -d, -f1 "$T/rows" | tr '\n' ' ')" "$(seq 1 $TOTAL | tr '\n' ' ')"
fd "$DB" aud1 log >"$T/all.jsonl"
check_eq "jsonl: one line per record" "$(wc -l <"$T/all.jsonl" | tr -d ' ')" $TOTAL
check_grep "csv quotes a rationale with a comma" "^$(s 201),"'.*,"SECRET-RATIONALE, the school reported more",' "$T/rows"
check_grep "csv defuses a formula and doubles quotes" "^$(s 205),.*,\"'=HYPERLINK\(\"\"x\"\"\) SECRET-CORRECTION, wrong district\"," "$T/rows"

rows fd "$DB" aud1 log --kind route
check_eq "--kind route" "$(nrows)" 200
check_eq "--kind route: only routes" "$(cut -d, -f3 "$T/rows" | sort -u)" route
rows fd "$DB" aud1 log --kind override
check_eq "--kind override" "$(seqs)" "$(s 201)"
rows fd "$DB" aud1 log --kind sign_off
check_eq "--kind sign_off" "$(seqs)" "$(s 202) $(s 206)"
check_eq "--kind sign_off: refs" "$(cut -d, -f15 "$T/rows" | tr '\n' ' ' | sed 's/ $//')" "$(s 201) $(s 203)"
rows fd "$DB" aud1 log --kind step_down
check_eq "--kind step_down" "$(seqs)" "$(s 203)"
rows fd "$DB" aud1 log --kind outcome
check_eq "--kind outcome" "$(seqs)" "$(s 204)"
rows fd "$DB" aud1 log --kind correction
check_eq "--kind correction" "$(seqs)" "$(s 205)"
rows fd "$DB" aud1 log --kind step_up
check_eq "--kind step_up: none" "$(nrows)" 0
fd "$DB" aud1 log --kind edit >/dev/null 2>&1
check_eq "--kind with an unknown kind is a usage error" $? 2

rows fd "$DB" aud1 log --case "$Z"
check_eq "--case: every record of the case" "$(seqs)" "$(s 201) $(s 202) $(s 203) $(s 204) $(s 206)"
check_eq "--case: only that case" "$(cut -d, -f6 "$T/rows" | sort -u)" "$Z"
rows fd "$DB" aud1 log --case C-00000149
check_eq "--case: a route and its correction" "$(seqs)" "$(s 150) $(s 205)"
rows fd "$DB" aud1 log --case C-0000014
check_eq "--case: a prefix of ids matches nothing" "$(nrows)" 0
rows fd "$DB" aud1 log --case NO-SUCH-CASE
check_eq "--case: an unknown case is empty, not an error" "$?:$(nrows)" 0:0
rows fd "$DB" aud1 log --case "$Z" --kind outcome
check_eq "--case with --kind" "$(seqs)" "$(s 204)"
fd "$DB" off1 log --case "$Z" >"$T/out" 2>&1
check_eq "an officer may read a case history" $? 0

UNTIL=$(date -u -d "@$TA" +%Y-%m-%dT%H:%M:%SZ)
SINCE=$(date -u -d "@$((TA + 1))" +%Y-%m-%dT%H:%M:%SZ)
TODAY=$(date -u +%Y-%m-%d)
DAY=$(date -u -d "@$TA" +%Y-%m-%d)
rows fd "$DB" aud1 log --until "$UNTIL"
check_eq "--until the first second: the first 100" "$(nrows):$(head -n 1 "$T/rows" | cut -d, -f1):$(tail -n 1 "$T/rows" | cut -d, -f1)" "$(s 100):1:$(s 100)"
rows fd "$DB" aud1 log --since "$SINCE"
check_eq "--since the next second: the rest" "$(nrows):$(head -n 1 "$T/rows" | cut -d, -f1)" "$((TOTAL - OFF - 100)):$(s 101)"
rows fd "$DB" aud1 log --since "$SINCE" --until "$SINCE"
check "--since and --until the same second: within it" [ "$(nrows)" -le $((TOTAL - 100)) ]
rows fd "$DB" aud1 log --since "$SINCE" --kind route
check_eq "--since with --kind" "$(nrows)" 100
rows fd "$DB" aud1 log
on_day=$(cut -d, -f2 "$T/rows" | grep -c "^$DAY")	# all of them, unless midnight passed
rows fd "$DB" aud1 log --since "$DAY" --until "$DAY"
check_eq "--since/--until a date: the whole day" "$(nrows)" "$on_day"
rows fd "$DB" aud1 log --since "$(date -u -d tomorrow +%Y-%m-%d)"
check_eq "--since tomorrow: nothing" "$(nrows)" 0
rows fd "$DB" aud1 log --until "$(date -u -d yesterday +%Y-%m-%d)"
check_eq "--until yesterday: nothing" "$(nrows)" 0
# the same instants written with an offset east and west of UTC
rows fd "$DB" aud1 log --until "$(TZ=Etc/GMT-2 date -d "@$TA" +%Y-%m-%dT%H:%M:%S+02:00)"
check_eq "--until with an offset: the same first 100" "$(nrows)" "$(s 100)"
rows fd "$DB" aud1 log --since "$(TZ=Etc/GMT+5 date -d "@$((TA + 1))" +%Y-%m-%dT%H:%M:%S-05:00)"
check_eq "--since with an offset: the same rest" "$(nrows)" "$((TOTAL - OFF - 100))"
for d in "$(date -u -d "@$TA" +%Y-%-m-%-d)" " $DAY" "$DAY " "${DAY}x" "${DAY}T00:00:00"; do
	fd "$DB" aud1 log --until "$d" >/dev/null 2>&1
	check_eq "--until '$d' is a usage error" $? 2
	fd "$DB" aud1 stats --since "$d" >/dev/null 2>&1
	check_eq "stats --since '$d' is a usage error" $? 2
done
fd "$DB" aud1 log --since 2026-02-31 >/dev/null 2>&1
check_eq "--since an impossible date is a usage error" $? 2
fd "$DB" aud1 log --until "$TODAY"T25:00:00Z >/dev/null 2>&1
check_eq "--until an impossible time is a usage error" $? 2
rows fd "$DB" aud1 log --last 3
check_eq "--last 3" "$(seqs)" "$(s 204) $(s 205) $(s 206)"
fd "$DB" aud1 log --last 0 >/dev/null 2>&1
check_eq "--last 0 is a usage error" $? 2
fd "$DB" aud1 log --format xml >/dev/null 2>&1
check_eq "--format xml is a usage error" $? 2

# ---- pseudonymised exports: keyed ids, no free text, facts reduced to what rules read ----
KEY=0123456789abcdef-test-key
fd "$DB" aud1 log --pseudonymise "$KEY" >"$T/p.jsonl" 2>"$T/p.err"
check_eq "--pseudonymise succeeds" $? 0
check_eq "--pseudonymise: every decision, no grant or publication" "$(wc -l <"$T/p.jsonl" | tr -d ' ')" $((TOTAL - OFF))
check_nogrep "--pseudonymise: no original case id" 'C-[0-9]{8}|Z-SECRET' "$T/p.jsonl"
check_nogrep "--pseudonymise: no free text (rationale, notes, feedback, comments)" 'SECRET|Acacia' "$T/p.jsonl"
check_nogrep "--pseudonymise: no facts the rules do not read" '"district"|"received"|"age"|"agency"' "$T/p.jsonl"
check_eq "--pseudonymise: every id is keyed" \
    "$(grep -c '"case_id":"p:[0-9a-f]\{64\}"' "$T/p.jsonl")" $((TOTAL - OFF))
sed -n 's/.*"case_id":"\(p:[0-9a-f]*\)".*/\1/p' "$T/p.jsonl" >"$T/p.ids"
check_eq "--pseudonymise: one pseudonym per case" "$(sort -u "$T/p.ids" | wc -l | tr -d ' ')" 201
fd "$DB" aud1 log --case "$Z" --pseudonymise "$KEY" >"$T/pz.jsonl" 2>&1
sed -n 's/.*"case_id":"\(p:[0-9a-f]*\)".*/\1/p' "$T/pz.jsonl" | sort -u >"$T/pz.ids"
check_eq "--pseudonymise: a case keeps its pseudonym" "$(wc -l <"$T/pz.ids" | tr -d ' ')" 1
check_eq "--pseudonymise: the same pseudonym in the whole export" \
    "$(grep -c -F -f "$T/pz.ids" "$T/p.ids")" 5
check_nogrep "--pseudonymise: no sequence number, time or hash" '"seq"|"time"|"hash"|"prev"' "$T/p.jsonl"
check_grep "--pseudonymise: the indicators stay" '"facts":\{"indicators":\["' "$T/p.jsonl"
printf '%s\n' "$KEY" >"$T/keyfile"
fd "$DB" aud1 log --pseudonymise "@$T/keyfile" >"$T/p2.jsonl" 2>&1
check "--pseudonymise @FILE gives the same export" cmp -s "$T/p.jsonl" "$T/p2.jsonl"
fd "$DB" aud1 log --pseudonymise "another-key-0123456789" >"$T/p3.jsonl" 2>&1
sed -n 's/.*"case_id":"\(p:[0-9a-f]*\)".*/\1/p' "$T/p3.jsonl" | sort -u >"$T/p3.ids"
sort -u "$T/p.ids" | comm -12 - "$T/p3.ids" >"$T/common"
check_eq "--pseudonymise: another key, other pseudonyms" "$(wc -l <"$T/common" | tr -d ' ')" 0
fd "$DB" aud1 log --pseudonymise short >/dev/null 2>"$T/out"
check_eq "--pseudonymise: a short key is refused" $? 2
rows fd "$DB" aud1 log --pseudonymise "$KEY"
check_eq "--pseudonymise csv: every decision" "$(nrows)" $((TOTAL - OFF))
check_nogrep "--pseudonymise csv: no original case id" 'C-[0-9]{8}|Z-SECRET' "$T/rows"
check_nogrep "--pseudonymise csv: no free text" 'SECRET|Acacia' "$T/rows"
fd "$DB" aud1 log --case "$Z" --pseudonymise "$KEY" >"$T/pz.jsonl" 2>&1
check_eq "--pseudonymise with --case: that case's records" "$(wc -l <"$T/pz.jsonl" | tr -d ' ')" 5
check_nogrep "--pseudonymise with --case: no id, no text" 'Z-SECRET|SECRET' "$T/pz.jsonl"

# ---- pseudonymised exports keep a string fact only if the rule set lists its values ----
DBF=$T/dbf
awk '{ print } /^facts:$/ { print "  referrer.agency: {type: string, required: false}";
    print "  child.age: {type: integer, required: false}" }' "$POLICY" >"$T/policyf.yaml"
"$FRONTDOOR" init --db "$DBF" --rules "$T/policyf.yaml" >"$T/out" 2>&1 ||
	{ fail "init with a free-text fact"; cat "$T/out"; }
fd "$DBF" - users add off1 officer && fd "$DBF" - users add aud1 auditor ||
	fail "users for the free-text database"
FOFF=$(log_count "$DBF")	# the publication and the grants: F-2's decision is FOFF+2
cat >"$T/f.jsonl" <<EOF
{"case_id":"F-1","child":{"age":13},"referrer":{"agency":"Jane Smith grandmother 07700 900123"},"consent":"given","indicators":["dev.l2_09"]}
EOF
fd "$DBF" off1 route --record "$T/f.jsonl" >"$T/out" 2>&1 || { fail "route --record a free-text fact"; cat "$T/out"; }
fd "$DBF" aud1 log >"$T/f.plain"
check_grep "the plain export keeps the free-text fact" '"agency":"Jane Smith grandmother 07700 900123"' "$T/f.plain"
fd "$DBF" aud1 log --pseudonymise "$KEY" >"$T/f.pseudo" 2>&1
check_eq "--pseudonymise with a free-text fact succeeds" $? 0
check_nogrep "--pseudonymise: no free-text string fact" 'Jane|07700|referrer\.agency' "$T/f.pseudo"
check_grep "--pseudonymise: a string fact with listed values stays" '"consent":"given"' "$T/f.pseudo"
check_grep "--pseudonymise: a number fact stays" '"child\.age":13' "$T/f.pseudo"
rows fd "$DBF" aud1 log --pseudonymise "$KEY"
check_nogrep "--pseudonymise csv: no free-text string fact" 'Jane|07700' "$T/rows"

# ---- case ids hold no controls; CSV fields never carry a raw control byte ----
printf '%s\n' '{"case_id":"C\u001b[31mX\nY","consent":"given","indicators":[]}' >"$T/esc.jsonl"
fd "$DBF" off1 route --record "$T/esc.jsonl" >"$T/out" 2>"$T/err"
check_eq "a case id with ESC and a newline is rejected" $? 1
check_grep "the rejection says why" "^$T/esc.jsonl:1: rejected: 'case_id' must be 1 to 256 of the ASCII letters" "$T/err"
sed "s|^$T/esc.jsonl:1: ||" "$T/err" >"$T/err.msg"	# the scratch path may hold an X and a Y
check_nogrep "the rejection does not quote the id" '31m|X.?Y' "$T/err.msg"
# look-alikes of a known id never start a second history for the same child
for id in 'F-2 ' ' F-2' 'F-\u200b2' 'F\u00ad-2' '\ufeffF-2' 'F\u20102' '\uff26-2'; do
	printf '{"case_id":"%s","consent":"given","indicators":["dev.l2_09"]}\n' "$id" >"$T/alike.json"
	fd "$DBF" off1 decide "$T/alike.json" >"$T/out" 2>&1
	check_eq "decide refuses the look-alike case id '$id'" $? 1
	fd "$DBF" off1 route --record "$T/alike.json" >"$T/out" 2>&1
	check_eq "route --record refuses the look-alike case id '$id'" $? 1
done
RAT=$(printf 'line one red\nline two\tx and the end')
cat >"$T/f2.json" <<EOF
{"case_id":"F-2","consent":"given","indicators":["dev.l2_09"]}
EOF
fd "$DBF" off1 decide --override mash --rationale "$RAT" "$T/f2.json" >"$T/out" 2>&1 ||
	{ fail "decide with a newline and a tab in the rationale"; cat "$T/out"; }
rows fd "$DBF" aud1 log
check_eq "csv: one line per record despite a newline in a rationale" "$(nrows)" $((FOFF + 2))
check_eq "csv: no raw control byte in any field" \
    "$(tr -cd '\000-\011\013-\037\177' <"$T/rows.all" | wc -c | tr -d ' ')" 0
check_grep "csv: newline and tab shown as '?'" "^$((FOFF + 2)),"'.*,line one red\?line two\?x and the end,' "$T/rows"

# ---- free text on the command line: UTF-8 with no control character but newline and tab ----
n=$(log_count "$DBF")
# bad_text WHAT TEXT PATTERN: each free-text option refuses TEXT with a message that
# names the option, matches PATTERN and does not quote the text
bad_text() {
	_what=$1 _t="SECRET-TEXT $2 long enough to be a rationale" _why=$3
	for _c in "off1 decide --feedback" "off1 decide --override universal --rationale" \
	    "eh1 outcome F-2 needs_met --note" "off1 step-up F-2 --urgency amber --rationale" \
	    "eh1 step-down F-2 --rationale" "mgr1 sign-off 2 --return --comment" \
	    "mgr1 sign-off 2 --approve --comment" "off1 correct 2 --rationale"; do
		# shellcheck disable=SC2086 # $_c is the user, the command and its arguments
		case $_c in
		*decide*) fd "$DBF" $_c "$_t" "$T/f2.json" >"$T/out" 2>"$T/err" ;;
		*) fd "$DBF" $_c "$_t" >"$T/out" 2>"$T/err" ;;
		esac
		_rc=$?
		check_eq "$_c with $_what: a usage error" "$_rc" 2
		check_grep "$_c with $_what: says why" "^frontdoor [a-z-]+: ${_c##* } $_why" "$T/err"
		check_nogrep "$_c with $_what: does not quote the text" 'SECRET' "$T/err"
		check_clean "$_c with $_what: no raw control in the message" "$T/err"
	done
}
bad_text ESC "$(printf 'red \033[31m here')" 'holds a control character \(only newline and tab may be used\)$'
bad_text CR "$(printf 'a carriage \r return')" 'holds a control character'
bad_text 'a C1 CSI' "$(printf 'csi \302\2332J here')" 'holds a control character'
bad_text 'invalid UTF-8' "$(printf 'bad \377\376 bytes')" 'is not valid UTF-8$'
bad_text 'an overlong NUL' "$(printf 'overlong \300\200 nul')" 'is not valid UTF-8$'
check_eq "no refused free text was recorded" "$(log_count "$DBF")" "$n"
fd "$DBF" off1 correct $((FOFF + 2)) --rationale \
    "$(printf 'A note in \331\204\330\272\330\251 \342\200\217and caf\303\251,\n\tis \342\200\256text')" >"$T/out" 2>&1
check_eq "free text in other scripts, with bidi controls, a newline and a tab, is taken" $? 0
# ---- free text from a file or stdin, kept off the command line; the same checks ----
# each option's file form refuses what its inline form refuses, without quoting it
for _c in "off1 decide --feedback" "off1 decide --override universal --rationale" \
    "eh1 outcome F-2 needs_met --note" "off1 step-up F-2 --urgency amber --rationale" \
    "eh1 step-down F-2 --rationale" "mgr1 sign-off 2 --return --comment" \
    "mgr1 sign-off 2 --approve --comment" "off1 correct 2 --rationale"; do
	printf 'SECRET-FILE with \033[31m an escape, long enough to be a rationale\n' >"$T/esc.txt"
	# shellcheck disable=SC2086 # $_c is the user, the command and its arguments
	case $_c in
	*decide*) fd "$DBF" $_c-file "$T/esc.txt" "$T/f2.json" >"$T/out" 2>"$T/err" ;;
	*) fd "$DBF" $_c-file "$T/esc.txt" >"$T/out" 2>"$T/err" ;;
	esac
	check_eq "$_c-file with a control character: a usage error" $? 2
	check_grep "$_c-file: says why" "^frontdoor [a-z-]+: ${_c##* } holds a control character" "$T/err"
	check_nogrep "$_c-file: does not quote the text" 'SECRET' "$T/err"
done
fd "$DBF" - users add mgr1 manager && fd "$DBF" - users add eh1 early_help ||
	fail "a manager and an early help worker for the free-text database"
n=$(log_count "$DBF")
printf 'SECRET-FILE rationale, read from a file of its own\n\n' >"$T/rat.txt"
printf '%s\n' '{"case_id":"F-4","consent":"given","indicators":["dev.l2_09"]}' >"$T/f4.json"
echo "SECRET-FILE feedback from stdin" | fd "$DBF" off1 decide --override targeted_early_help \
    --rationale-file "$T/rat.txt" --feedback-file - "$T/f4.json" >"$T/out" 2>&1
check_eq "decide --rationale-file FILE --feedback-file -" $? 0
fd "$DBF" aud1 log --case F-4 >"$T/f4.log"
check_grep "the rationale is the file's text less its last newlines" \
    '"rationale":"SECRET-FILE rationale, read from a file of its own"' "$T/f4.log"
check_grep "the feedback is stdin's text" 'SECRET-FILE feedback from stdin"' "$T/f4.log"
seq4=$(sed -n 's/^recorded seq \([0-9]*\): override.*/\1/p' "$T/out")
fd "$DBF" mgr1 sign-off "$seq4" --return --comment-file "$T/rat.txt" >"$T/out" 2>&1
check_eq "sign-off --return --comment-file" $? 0
check_grep "and the sign-off is recorded" '^recorded seq [0-9]+: sign_off' "$T/out"
printf 'SECRET-FILE the family moved away, a note from stdin\n' |
    fd "$DBF" eh1 outcome F-4 moved_away --note-file - >"$T/out" 2>&1
check_eq "outcome --note-file -" $? 0
printf 'SECRET-FILE stepped up again: new concerns reported today\n' >"$T/up.txt"
fd "$DBF" eh1 step-up F-4 --urgency amber --rationale-file "$T/up.txt" >"$T/out" 2>&1
check_eq "step-up --rationale-file" $? 0
fd "$DBF" eh1 step-down F-4 --rationale-file - <"$T/rat.txt" >"$T/out" 2>&1
check_eq "step-down --rationale-file -" $? 0
fd "$DBF" off1 correct $((FOFF + 2)) --rationale-file "$T/rat.txt" >"$T/out" 2>&1
check_eq "correct --rationale-file" $? 0
fd "$DBF" aud1 log --case F-4 >"$T/f4.log"
check_grep "the note is stdin's text" '"rationale":"SECRET-FILE the family moved away, a note from stdin"' "$T/f4.log"
check_grep "the step-up's rationale is the file's" '"rationale":"SECRET-FILE stepped up again: new concerns reported today"' "$T/f4.log"
check_eq "six records written from files" "$(log_count "$DBF")" $((n + 6))
n=$(log_count "$DBF")
fd "$DBF" off1 correct 2 --rationale "inline and in a file, which one" \
    --rationale-file "$T/rat.txt" >"$T/out" 2>"$T/err"
check_eq "--rationale with --rationale-file: a usage error" $? 2
check_grep "it says give one" 'give --rationale or --rationale-file, not both' "$T/err"
echo x | fd "$DBF" off1 decide --override mash --rationale-file - >"$T/out" 2>"$T/err"
check_eq "decide's case and its rationale both from stdin: a usage error" $? 2
check_grep "it says only one" 'only one input can be read from stdin' "$T/err"
fd "$DBF" off1 step-up F-2 --urgency amber --rationale-file "$T/no-such-file" >"$T/out" 2>"$T/err"
check_eq "a missing rationale file: a usage error" $? 2
check_grep "naming the file" 'no-such-file: No such file or directory' "$T/err"
printf 'SECRET-FILE a\000NUL byte, long enough to be a rationale' >"$T/nul.txt"
fd "$DBF" off1 correct $((FOFF + 2)) --rationale-file "$T/nul.txt" >"$T/out" 2>"$T/err"
check_eq "a NUL byte in a rationale file: a usage error" $? 2
check_grep "saying so" 'holds a NUL byte' "$T/err"
head -c 70000 /dev/zero | tr '\0' a >"$T/long.txt"
fd "$DBF" off1 correct $((FOFF + 2)) --rationale-file "$T/long.txt" >"$T/out" 2>"$T/err"
check_eq "a rationale file over 64 KiB: a usage error" $? 2
check_grep "saying so" 'more than 65535 bytes of text' "$T/err"
fd "$DBF" off1 correct $((FOFF + 2)) --rationale-file "$T" >"$T/out" 2>"$T/err"
check_eq "a directory as a rationale file: a usage error" $? 2
check_eq "no refused text file was recorded" "$(log_count "$DBF")" "$n"
# the JSON Lines export writes bidi and C1 controls as escapes, in free text and facts alike
printf '%s\n' "{\"case_id\":\"F-3\",\"referrer\":{\"agency\":\"x$(printf '\342\200\256')y$(printf '\302\205')z\"},\"consent\":\"given\",\"indicators\":[]}" >"$T/f3.jsonl"
fd "$DBF" off1 route --record "$T/f3.jsonl" >"$T/out" 2>&1 || { fail "route --record a fact with bidi"; cat "$T/out"; }
fd "$DBF" aud1 log >"$T/log.jsonl"
check_clean "log: no raw control or bidi character" "$T/log.jsonl"
check_grep "log: a rationale's bidi control as an escape" '"rationale":"A note in .*\\u200fand .*is \\u202etext"' "$T/log.jsonl"
check_grep "log: a fact's bidi and C1 controls as escapes" '"agency":"x\\u202ey\\u0085z"' "$T/log.jsonl"

# ---- decide takes a NUL byte for what it is, not white space, as route does ----
n=$(log_count "$DB")
printf '\0\0{"case_id":"NUL-1","consent":"given","indicators":[]}\0\0' |
    fd "$DB" off1 decide - >"$T/out" 2>&1
check_eq "decide rejects a case between NUL bytes" $? 1
check_grep "the rejection says it is not JSON" '^frontdoor decide: invalid JSON' "$T/out"
printf '{"case_id":"NUL-2","consent":"given","indicators":[]}\0' | fd "$DB" off1 decide - >"$T/out" 2>&1
check_eq "decide rejects a case followed by a NUL byte" $? 1
check_eq "nothing was recorded for either" "$(log_count "$DB")" "$n"

# ---- checkpoints ----
CP=$(fd "$DB" aud1 checkpoint 2>"$T/err")
check_eq "checkpoint as an auditor" $? 0
check_eq "checkpoint prints SEQ:HASH of the head" "$(echo "$CP" | grep -c "^$TOTAL:[0-9a-f]\{64\}\$")" 1
fd "$DB" aud1 verify --checkpoint "$CP" >"$T/out" 2>&1
check_eq "verify --checkpoint just taken" $? 0
check_grep "verify reports success" "^$TOTAL records checked, .*chain intact" "$T/out"
fd "$DB" off1 route --record --batch 1 "$T/a.jsonl" >/dev/null 2>&1 || fail "route --record after the checkpoint"
fd "$DB" aud1 verify --checkpoint "$CP" --quiet >"$T/out" 2>&1
check_eq "an older checkpoint still verifies after more records" $? 0
CP2=$(fd "$DB" - checkpoint 2>&1)
check_eq "checkpoint as the admin" $? 0
fd "$DB" mgr1 verify --checkpoint "$CP2" >"$T/out" 2>&1
check_eq "verify --checkpoint as a manager" $? 0
BAD="$TOTAL:$(printf '%064d' 0)"
fd "$DB" aud1 verify --checkpoint "$BAD" >"$T/out" 2>&1
check_eq "a wrong checkpoint hash fails" $? 1
check_grep "a wrong checkpoint names its seq" "^seq $TOTAL .*differs from the checkpoint" "$T/out"
fd "$DB" aud1 verify --checkpoint "99999:${CP#*:}" >"$T/out" 2>&1
check_eq "a checkpoint beyond the log fails" $? 1
check_grep "a checkpoint beyond the log: truncated" '^seq 99999: truncated' "$T/out"

# ---- rule changes: a new rule set is published, older decisions still replay ----
sed 's/^version: "bench.1"/version: "bench.2"/' "$POLICY" >"$T/policy2.yaml"
fd "$DB" - rules publish "$T/policy2.yaml" >"$T/out" 2>&1
check_eq "the admin publishes a new rule set" $? 0
fd "$DB" aud1 rules history >"$T/out"
check_eq "rules history lists both" "$(wc -l <"$T/out" | tr -d ' ')" 2
check_grep "rules history shows the new hash" "sha256:$(sha256sum "$T/policy2.yaml" | cut -c1-64)" "$T/out"
fd "$DB" off1 route --record "$T/b.jsonl" >/dev/null 2>&1
check_eq "routing with the new rules in force" $? 0
rows fd "$DB" aud1 log --last 1
check_eq "the newest record names the new rule set" "$(cut -d, -f7 "$T/rows")" "$(sha256sum "$T/policy2.yaml" | cut -c1-64)"
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "verify replays decisions under both rule sets" $? 0
fd "$DB" aud1 whatif --rules "$POLICY" >"$T/out" 2>&1
check_eq "whatif with the same policy" $? 0
check_grep "whatif: nothing would change" '^0 decisions would change route' "$T/out"
fd "$DB" off1 route --record --rules "$T/policy2.yaml" "$T/b.jsonl" >/dev/null 2>&1
check_eq "route --record --rules with a published rule set" $? 0
sed 's/^version: "bench.1"/version: "bench.3"/' "$POLICY" >"$T/policy3.yaml"
n=$(log_count "$DB")
fd "$DB" off1 route --record --rules "$T/policy3.yaml" "$T/b.jsonl" >/dev/null 2>"$T/out"
check_eq "route --record --rules with an unpublished rule set is refused" $? 1
check_grep "the refusal says how to publish it" 'rules publish' "$T/out"
check_eq "nothing was recorded with unpublished rules" "$(log_count "$DB")" "$n"

# ---- whatif names the decisions a candidate cannot route ----
grep -v 'id: dev.l1_00,' "$POLICY" >"$T/cand.yaml"
fd "$DB" aud1 whatif --rules "$T/cand.yaml" >"$T/out" 2>&1
check_eq "whatif with a candidate that drops an indicator" $? 0
check_grep "whatif: the count of decisions it cannot route" "; [0-9]+ decisions? it cannot route \\(listed last\\)$" "$T/out"
check_grep "whatif: each one listed with seq, case and reason" '^  seq [0-9]+ case C-[0-9]+ \(recorded [a-z_]+\): indicator [0-9]+ of the list is not one the rule set defines$' "$T/out"
check_nogrep "whatif: the list quotes no indicator" 'dev\.l1_00' "$T/out"

# ---- a rule set's own name and version reach the terminal cleaned ----
sed 's/^name: .*/name: "Bench\\e]52;c;SGk=\\a\\e[31m\\u202e"/; s/^version: .*/version: "v\\e[2J\\x9b1"/' \
    "$POLICY" >"$T/hostile.yaml"
fd "$DB" aud1 whatif --rules "$T/hostile.yaml" >"$T/out" 2>&1
check_eq "whatif with a hostile rule set name" $? 0
fd "$DB" - rules publish "$T/hostile.yaml" >>"$T/out" 2>&1
check_eq "publishing a rule set with a hostile name and version" $? 0
check_nogrep "no raw ESC, BEL, C1 or bidi byte in whatif or publish" \
    "$(printf '[\033\007]|\302\233|\342\200\256')" "$T/out"
fd "$DB" - rules publish "$POLICY" >/dev/null 2>&1 || fail "publishing the policy back"

# ---- closing and reopening cases ----
# recorded_seq FILE: the N of "recorded seq N" in a command's output
recorded_seq() { sed -n 's/^recorded seq \([0-9]*\):.*/\1/p' "$1"; }
V=V-CASE-0001
sed "s/\"case_id\":\"$Z\"/\"case_id\":\"$V\"/; s/\"indicators\":\[[^]]*\]/\"indicators\":[]/" \
    "$T/z.json" >"$T/v.json"
fd "$DB" off1 decide "$T/v.json" >"$T/out" 2>&1 || { fail "decide V"; cat "$T/out"; }
VSEQ=$(recorded_seq "$T/out")
fd "$DB" eh1 outcome "$V" stepped_up >"$T/out" 2>&1
check_eq "outcome stepped_up closes the case" $? 0
fd "$DB" eh1 step-up "$V" --urgency amber --rationale "Stepped up to social care after the strategy talk" >"$T/out" 2>&1
check_eq "a case closed as stepped_up can then be stepped up" $? 0
check_grep "the step-up is recorded" '^recorded seq [0-9]+: step_up, case V-CASE-0001, route mash' "$T/out"
fd "$DB" eh1 outcome "$V" needs_met >"$T/out" 2>&1
check_eq "early help cannot close a case with the MASH" $? 1
check_grep "and is told why" 'the case is with the MASH: early help cannot close it' "$T/out"
fd "$DB" mgr1 outcome "$V" needs_met >"$T/out" 2>&1
check_eq "a manager can close a case with the MASH" $? 0
fd "$DB" off1 correct "$VSEQ" \
    --rationale "A note on the first decision: the referrer's name was misspelt" >"$T/out" 2>&1
check_eq "a closed case's record can be corrected" $? 0
check_grep "a correction without --route is recorded" '^recorded seq [0-9]+: correction, case V-CASE-0001, about' "$T/out"
check_nogrep "a correction without --route holds no route" 'route' "$T/out"
fd "$DB" mgr1 outcome "$V" needs_met >"$T/out" 2>&1
check_eq "a correction without a route does not reopen the case" $? 1
check_grep "it is still closed" 'the case is closed' "$T/out"
fd "$DB" off1 correct "$VSEQ" --route early_help_unit \
    --rationale "The first decision named the wrong route for this child" >"$T/out" 2>&1
check_eq "a closed case's route can be corrected" $? 0
fd "$DB" mgr1 outcome "$V" needs_met >"$T/out" 2>&1
check_eq "a correction that changes the route reopens the case" $? 0

# ---- a route correction is an override: it cannot take a case off the MASH to close it ----
W=W-CASE-0001
sed "s/\"case_id\":\"$Z\"/\"case_id\":\"$W\"/; s/\"indicators\":\[[^]]*\]/\"indicators\":[\"fam.l4_01\"]/" \
    "$T/z.json" >"$T/w.json"
fd "$DB" off1 decide "$T/w.json" >"$T/out" 2>&1 || { fail "decide W"; cat "$T/out"; }
WSEQ=$(recorded_seq "$T/out")
fd "$DB" eh1 correct "$WSEQ" --route targeted_early_help \
    --rationale "Early help thinks the family can be supported without the MASH" >"$T/out" 2>&1
check_eq "early help may correct a MASH case's route" $? 0
CSEQ=$(recorded_seq "$T/out")
fd "$DB" eh1 outcome "$W" needs_met >"$T/out" 2>&1
check_eq "but cannot then close the case before a manager approves" $? 1
check_grep "and is told the change awaits sign-off" "#$CSEQ on this case awaits a manager's sign-off: no outcome until it is signed off" "$T/out"
fd "$DB" mgr1 sign-off "$CSEQ" --return --comment "Stays with the MASH until the strategy talk" >"$T/out" 2>&1
check_eq "the route correction awaits sign-off, and a manager returns it" $? 0
fd "$DB" eh1 outcome "$W" needs_met >"$T/out" 2>&1
check_eq "a returned correction does not free the case for early help" $? 1
check_grep "and is told it is the MASH's" 'the case is with the MASH: early help cannot close it' "$T/out"
fd "$DB" mgr1 sign-off "$CSEQ" --approve >"$T/out" 2>&1
check_eq "a decision already returned cannot be signed off again" $? 1
check_grep "and the refusal says who signed it off" "#$CSEQ has already been signed off [(]returned by mgr1[)]: nothing was written" "$T/out"

# ---- no outcome while a step-down awaits sign-off, unless by a manager (and the record says so) ----
X=X-CASE-0001
sed "s/\"case_id\":\"$W\"/\"case_id\":\"$X\"/" "$T/w.json" >"$T/x.json"
fd "$DB" off1 decide "$T/x.json" >"$T/out" 2>&1 || { fail "decide X"; cat "$T/out"; }
fd "$DB" eh1 step-up "$X" --urgency amber --rationale "Already with the MASH: this must be refused" >"$T/out" 2>&1
check_eq "a case with the MASH is not stepped up" $? 1
check_grep "and the refusal says so" 'the case is already with the MASH' "$T/out"
fd "$DB" eh1 step-down "$X" --rationale "The family agreed to targeted early help after the talk" >"$T/out" 2>&1
check_eq "a MASH case steps down" $? 0
XSEQ=$(recorded_seq "$T/out")
fd "$DB" eh1 step-down "$X" --rationale "The family agreed to targeted early help after the talk" >"$T/out" 2>&1
check_eq "not twice while the first awaits sign-off" $? 1
check_grep "the second step-down is told why" "#$XSEQ on this case awaits a manager's sign-off: no step-down until it is signed off" "$T/out"
fd "$DB" eh1 outcome "$X" needs_met >"$T/out" 2>&1
check_eq "no outcome while the step-down awaits sign-off" $? 1
check_grep "the outcome is told why" "#$XSEQ on this case awaits a manager's sign-off: no outcome until it is signed off [(]a manager can record one[)]" "$T/out"
fd "$DB" mgr1 sign-off "$XSEQ" --return --comment "Consent to early help is not written down yet" >"$T/out" 2>&1
check_eq "a manager returns the step-down" $? 0
fd "$DB" eh1 step-down "$X" --rationale "Consent to targeted early help is now written in the notes" >"$T/out" 2>&1
check_eq "its maker makes the step-down again after the return" $? 0
XSEQ=$(recorded_seq "$T/out")
fd "$DB" mgr1 outcome "$X" moved_away >"$T/out" 2>&1
check_eq "a manager may record an outcome while it awaits sign-off" $? 0
fd "$DB" aud1 log --case "$X" --kind outcome >"$T/out" 2>&1
check_grep "and the record says it was made over a change awaiting sign-off" "\"role\":\"manager\".*\"detail\":[{]\"while_awaiting_signoff\":$XSEQ[}]" "$T/out"
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "verify after the reopened case" $? 0
finish
