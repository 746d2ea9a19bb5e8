#!/bin/sh
# history.sh: the history facts: when a rule set declares them, frontdoor works out each
# child's history from the log inside the transaction that records the decision (so a
# case seen twice in one batch sees its first decision), writes the values into the
# decision's facts, and verify and whatif replay them exactly after later contacts. A
# case may not give them itself; a rule set that reads none logs its facts as given.

. "$(dirname "$0")/lib.sh"
need_root
HIST=$STORE_DATA/history.yaml

# ---- the rule file: fixed names and types, never required ----
awk '{ print } /^  history.contacts_12m:$/ { getline; print "    type: string"; next }' "$HIST" >"$T/badtype.yaml"
"$FRONTDOOR" rules check "$T/badtype.yaml" >"$T/out" 2>&1
check_eq "a history fact of the wrong type: refused" $? 1
check_grep "the wrong type: named with the type to use" \
	"badtype.yaml:[0-9]+:3: error\[E015\]: 'history.contacts_12m' is worked out by frontdoor as an integer: declare it with type: integer" "$T/out"
awk '{ print } /^  history.stepped_up:$/ { print "    required: true" }' "$HIST" >"$T/required.yaml"
"$FRONTDOOR" rules check "$T/required.yaml" >"$T/out" 2>&1
check_eq "a required history fact: refused" $? 1
check_grep "required: says why" "'history.stepped_up' cannot be required" "$T/out"
"$FRONTDOOR" rules test "$HIST" >"$T/out" 2>&1
check_eq "the test rule set's own tests pass" $? 0

DB=$T/db
"$FRONTDOOR" init --db "$DB" --rules "$HIST" >/dev/null || { fail "init"; finish; }
for ur in off1:officer aud1:auditor eh1:early_help; do
	fd "$DB" - users add "${ur%%:*}" "${ur#*:}" || fail "users add $ur"
done

# ---- three contacts in one batch: the third sees the first two (for H-0, only one of
# them is within twelve months) ----
printf '%s\n' \
	'{"case_id":"H-1","received":"2026-01-10T09:00:00Z","indicators":["dev.l2_01"]}' \
	'{"case_id":"H-1","received":"2026-03-10T09:00:00Z","indicators":["dev.l2_01"]}' \
	'{"case_id":"H-1","received":"2026-05-10T09:00:00Z","indicators":["dev.l2_01"]}' \
	'{"case_id":"H-0","received":"2024-05-10T09:00:00Z","indicators":["dev.l2_01"]}' \
	'{"case_id":"H-0","received":"2026-05-10T09:00:00Z","indicators":["dev.l2_01"]}' \
	'{"case_id":"H-0","received":"2026-06-10T09:00:00Z","indicators":["dev.l2_01"]}' >"$T/batch"
fd "$DB" off1 route --record "$T/batch" >"$T/out" 2>"$T/err"
check_eq "one batch: recorded" $? 0
check_eq "one batch: routes in order" "$(sed 's/.*"route":"\([a-z_]*\)".*/\1/' "$T/out" | tr '\n' ' ')" \
	"early_help_unit early_help_unit mash early_help_unit early_help_unit early_help_unit "
fd "$DB" aud1 log --case H-1 >"$T/log"
check_grep "the third contact's facts hold its history" \
	'"received":"2026-05-10T09:00:00Z","indicators":\["dev.l2_01"\],"history":\{"contacts":2,"contacts_12m":2,"last_route":"early_help_unit","early_help_declined":false,"stepped_up":false\}' "$T/log"
fd "$DB" aud1 log --case H-0 >"$T/log"
check_grep "a contact two years before is not within twelve months" \
	'"received":"2026-05-10T09:00:00Z".*"history":\{"contacts":1,"contacts_12m":0,' "$T/log"

# ---- one at a time, through decide and an outcome ----
echo '{"case_id":"H-2","indicators":["dev.l2_01"]}' | fd "$DB" off1 decide - >/dev/null || fail "decide H-2"
fd "$DB" eh1 outcome H-2 consent_withdrawn --note "The family declined the offer of early help" >/dev/null ||
	fail "outcome H-2"
echo '{"case_id":"H-2","indicators":["fam.l3_01"]}' | fd "$DB" off1 decide - >"$T/out" 2>&1
check_grep "declined before, with a level-3 need: the MASH" "route mash .* by rule declined_before" "$T/out"
fd "$DB" aud1 log --case H-2 --last 1 >"$T/log"
check_grep "closed this month: months since closure 0, declined" \
	'"months_since_closure":0,"early_help_declined":true' "$T/log"

# ---- the form's own history facts stay; ours join them ----
echo '{"case_id":"H-3","history":{"cp_plan":true},"indicators":[]}' | fd "$DB" off1 decide - >"$T/out" 2>&1
check_grep "a fact the form gives under history: read" "by rule previous_plan" "$T/out"
fd "$DB" aud1 log --case H-3 >"$T/log"
check_grep "joined in one history object" '"history":\{"cp_plan":true,"contacts":0,' "$T/log"

# ---- a case that gives what frontdoor works out: refused, nothing logged ----
BEFORE=$(log_count "$DB")
echo '{"case_id":"H-4","history":{"contacts_12m":0},"indicators":[]}' | fd "$DB" off1 decide - >"$T/out" 2>&1
check_eq "decide: a case giving history.contacts_12m is refused" $? 1
check_grep "decide: says to leave it out" "gives 'history.contacts_12m', which frontdoor works out" "$T/out"
echo '{"case_id":"H-4","history":{"stepped_up":false},"indicators":[]}' |
	fd "$DB" off1 route --record - >"$T/out" 2>"$T/err"
check_eq "route --record: refused too" $? 1
check_grep "route --record: names the line" "line 1: the case gives 'history.stepped_up'" "$T/err"
check_eq "nothing was logged" "$(log_count "$DB")" "$BEFORE"

# ---- replay stays exact after later contacts change the history ----
printf '%s\n' '{"case_id":"H-1","indicators":[]}' '{"case_id":"H-2","indicators":[]}' |
	fd "$DB" off1 route --record --batch 1 - >/dev/null 2>&1 || fail "later contacts"
fd "$DB" aud1 verify >"$T/out" 2>&1
check_eq "verify after later contacts: passes" $? 0
check_grep "verify: every decision reproduced" "every decision reproduced" "$T/out"
fd "$DB" aud1 whatif --rules "$HIST" >"$T/out" 2>&1
check_grep "whatif with the same rules: nothing moves" "^0 decisions would change route" "$T/out"

# ---- a rule set that reads no history: the facts are logged as given ----
DB2=$T/db2
make_db "$DB2" || fail "make_db"
echo '{"case_id":"P-1","consent":"given","indicators":["dev.l2_00"]}' | fd "$DB2" off1 decide - >/dev/null ||
	fail "decide P-1"
fd "$DB2" aud1 log --case P-1 >"$T/log"
check_grep "no history rules: facts as given" \
	'"facts":\{"case_id":"P-1","consent":"given","indicators":\["dev.l2_00"\]\}' "$T/log"
finish
