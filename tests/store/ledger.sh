#!/bin/sh
# ledger.sh: rule-set publications, role grants and removals are records of the log: who
# made each, when; users list and rules history read them; a publication or role written
# into the tables with plain liblmdb (as root could) is never used and verify names it; one
# re-chained into a rewritten history passes verify alone but not a checkpoint kept
# elsewhere (records cut from the end alone are caught by the case index); and a database written before these records were kept still verifies, replays,
# and carries its users and publications into the log at its next change.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }
command -v mdb_load >/dev/null 2>&1 || skip "mdb_load is not installed (Debian: lmdb-utils)"

hex() { od -An -v -tx1 | tr -d ' \n'; }
u64() { printf '%016x' "$1"; }

DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }

# ---- a grant names who made it; users list is what the log's grants and removals leave ----
fd "$DB" - users add x1 officer && fd "$DB" - users add x1 manager && fd "$DB" - users remove x1 &&
	fd "$DB" - users add x2 auditor || fail "users add/remove"
fd "$DB" aud1 log --kind grant >"$T/grants" || fail "log --kind grant"
check_grep "a grant names who made it and what it gave" \
	'"kind":"grant","actor":"root","role":"admin","case_id":null.*"outcome":"officer","user":"off1"' "$T/grants"
fd "$DB" aud1 log --kind revoke >"$T/revokes" || fail "log --kind revoke"
check_eq "one removal" "$(wc -l <"$T/revokes" | tr -d ' ')" 1
check_grep "the removal names the user and the role taken away" '"actor":"root".*"outcome":"manager","user":"x1"' "$T/revokes"
fd "$DB" - users list >"$T/users" || fail "users list"
check_nogrep "a removed user is not listed" '^x1	' "$T/users"
# every listed user's seq is a grant record in the log giving that very role
while IFS='	' read -r name role seqf _rest; do
	s=${seqf#seq }
	fd "$DB" aud1 log --kind grant | grep -q "^{\"seq\":$s,.*\"outcome\":\"$role\",\"user\":\"$name\"" &&
		pass || fail "users list: $name $role at $seqf is not that grant in the log"
done <"$T/users"
check_eq "users list: as many users as the log leaves" "$(wc -l <"$T/users" | tr -d ' ')" 6

# ---- a rule set published in the tables alone, with plain liblmdb ----
# the database as it was before its last 20 decisions, for the rewritten history below
cp -a "$DB" "$T/before20"
head -n 20 "$CASES" | fd "$DB" off1 route --record - >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
GOOD=$(sha256sum <"$POLICY" | cut -c1-64)
{ cat "$POLICY"; echo "# published behind frontdoor's back"; } >"$T/evil.yaml"
EVIL=$(sha256sum <"$T/evil.yaml" | cut -c1-64)
F=$T/forged
cp -a "$DB" "$F"
"$TAMPER" "$F" put rulesets "$EVIL" "$(hex <"$T/evil.yaml")" &&
	"$TAMPER" "$F" put published "$(u64 2)" "$EVIL$(u64 1700000000)$(printf root | hex)" ||
	fail "tamper put"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "forged publication: verify fails" $? 1
check_grep "forged publication: named" "^publications: number 2 \(sha256:$(echo "$EVIL" | cut -c1-12)\) is in the table but not in the log" "$T/out"
fd "$F" aud1 rules history >"$T/hist"
check_nogrep "forged publication: not in rules history" "$EVIL" "$T/hist"
sed -n 21p "$CASES" | fd "$F" off1 route --record - >"$T/one" 2>"$T/err"
check_grep "forged publication: never used, the log's rule set is" "\"ruleset\":\"sha256:$GOOD\"" "$T/one"
sed -n 22p "$CASES" | fd "$F" off1 route --rules "$T/evil.yaml" --record - >"$T/one" 2>"$T/err"
check "forged publication: recording under it is refused" [ $? -ne 0 ]
check_grep "forged publication: refused as not published" 'has not been published' "$T/err"

# ---- a role written in the users table alone ----
F=$T/forged_role
cp -a "$DB" "$F"
"$TAMPER" "$F" put users "$(printf mallory | hex)" "$(printf admin | hex)" || fail "tamper put users"
fd "$F" mallory users add m2 admin >/dev/null 2>"$T/err"
check "forged role: refused" [ $? -ne 0 ]
check_grep "forged role: not granted through the log" 'not granted through the log' "$T/err"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "forged role: verify fails" $? 1
check_grep "forged role: named" '^users: mallory is admin in the table, but no grant in the log gives it a role' "$T/out"
# an officer pointing its entry at the admin's own grant record
"$TAMPER" "$F" put users "$(printf off1 | hex)" "$(printf admin | hex)00$(u64 2)" || fail "tamper put users"
fd "$F" off1 users add m3 admin >/dev/null 2>"$T/err"
check "borrowed grant: refused" [ $? -ne 0 ]
fd "$F" aud1 verify >"$T/out" 2>&1
check_grep "borrowed grant: named" '^users: off1 is admin in the table, but the log.s grant at seq [0-9]+ makes them officer' "$T/out"

# ---- the index of publications and grants rolled back to an older one ----
F=$T/rolled
cp -a "$DB" "$F"
"$TAMPER" "$F" put meta "$(printf ledger | hex)" "$(u64 2)" || fail "tamper put meta"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "rolled-back index: verify fails" $? 1
check_grep "rolled-back index: the newer records are named" '^seq 3: a publication or grant that the index does not reach' "$T/out"

# ---- a publication put into a rewritten history: only a checkpoint kept elsewhere tells ----
EXT=$("$TAMPER" "$DB" head)
F=$T/fork
cp -a "$DB" "$F"
"$TAMPER" "$F" truncate 10 || fail "tamper truncate"
fd "$F" aud1 verify >"$T/out" 2>&1
check_eq "records cut from the end: verify fails" $? 1
check_grep "records cut from the end: the case index still lists them" \
	'^seq [0-9]+: the case index lists this record, which is not a decision in the log' "$T/out"
# root forking the history whole: the database as it was 20 decisions ago, a publication,
# then other decisions, every table written by frontdoor itself
rm -rf "$F"
cp -a "$T/before20" "$F"
fd "$F" - rules publish "$T/evil.yaml" >/dev/null || fail "publish on the fork"
cases_with_prefix F- | sed -n '1,20p' | fd "$F" off1 route --record - >/dev/null 2>&1 || fail "record on the fork"
fd "$F" aud1 verify >"$T/out" 2>&1
check "rewritten with a publication: verify alone passes (only a checkpoint can tell)" [ $? -eq 0 ]
fd "$F" aud1 verify --checkpoint "$EXT" >"$T/out" 2>&1
check_eq "rewritten with a publication: the checkpoint kept elsewhere fails it" $? 1
check_grep "rewritten with a publication: history was rewritten" "^seq ${EXT%%:*} .*differs from the checkpoint: history was rewritten" "$T/out"

# ---- a database written before publications and grants were logged ----
# data/v1.dump: mdb_dump -a of a database made by the version before: 16 records (12
# routes, an override, its sign-off, a correction, an outcome), three publications, five
# users after one was added and removed; its head was 16:9e50b76b...
OLD=$T/old
OLDHEAD=16:9e50b76b63518a3a3474a22f75d4796f4fb0203890f47e5bc459c957f3613380
mkdir -m 2770 "$OLD" && mdb_load -f "$STORE_DATA/v1.dump" "$OLD" 2>/dev/null && chmod 660 "$OLD"/*.mdb ||
	fail "mdb_load"
fd "$OLD" aud1 verify --checkpoint "$OLDHEAD" >"$T/out" 2>&1
check_eq "old database: verifies against its old head" $? 0
check_grep "old database: every decision replayed" '^16 records checked, 13 decisions replayed: chain intact' "$T/out"
fd "$OLD" aud1 rules history >"$T/hist"
check_eq "old database: three publications, from the table" "$(grep -c 'not yet in the log' "$T/hist")" 3
fd "$OLD" - users add new1 officer || fail "old database: users add"
fd "$OLD" aud1 verify --checkpoint "$OLDHEAD" >"$T/out" 2>&1
check_eq "migrated database: verifies against its old head" $? 0
check_grep "migrated: the old decisions replayed, the carried records checked" '^25 records checked, 13 decisions replayed: chain intact' "$T/out"
fd "$OLD" aud1 rules history >"$T/hist"
check_eq "migrated: three publications carried over" "$(grep -c 'carried over at migration (seq 1[789]; the table said: published [-0-9T:Z]* by root)' "$T/hist")" 3
fd "$OLD" - users list >"$T/users"
check_eq "migrated: five users carried over" "$(grep -c '	by root (carried over at migration)$' "$T/users")" 5
check_grep "migrated: the new user granted after" '^new1	officer	seq 25	' "$T/users"
check_nogrep "migrated: the removed user stays removed" '^gone1' "$T/users"
sed -n 30p "$CASES" | fd "$OLD" off1 route --record - >/dev/null 2>"$T/err" || { fail "migrated: route"; cat "$T/err"; }
fd "$OLD" aud1 verify >"$T/out" 2>&1
check_eq "migrated: verifies after a new decision" $? 0

# ---- the level of need apart from the route: version 3 records beside older ones ----
# old records have no level of need of their own: their export gives the recommended level
fd "$OLD" aud1 log | grep -E '"kind":"(route|override)"' >"$T/old.json" || fail "old database: log"
check_eq "old database: the decisions" "$(wc -l <"$T/old.json" | tr -d ' ')" 14
check_eq "old decisions: the level of need is the recommended level" \
	"$(grep -c '"recommended_level":\([1-4]\),"need_level":\1,' "$T/old.json")" "$(wc -l <"$T/old.json" | tr -d ' ')"
fd "$OLD" aud1 log --kind grant | grep -c '"recommended_level":null,"need_level":null,' >"$T/n"
check "old grants: no level of need" [ "$(cat "$T/n")" -gt 0 ]
# a rule set whose refused level-3 need goes to the EHU, still found as level 3
sed 's/^    reason: One level-3 indicator without consent goes to the Early Help Unit\.$/&\
    need_level: 3/' "$POLICY" >"$T/need.yaml"
check_grep "the new rule set states a level of need" '^    need_level: 3$' "$T/need.yaml"
fd "$OLD" - rules publish "$T/need.yaml" >/dev/null 2>"$T/err" || { fail "publish need.yaml"; cat "$T/err"; }
printf '%s\n' '{"case_id":"N-1","consent":"refused","indicators":["par.l3_02"]}' \
	'{"case_id":"N-2","consent":"given","indicators":["par.l3_02"]}' |
	fd "$OLD" off1 route --record - >"$T/need.out" 2>"$T/err" || { fail "route need"; cat "$T/err"; }
check_grep "route: the line has both levels" '"case_id":"N-1","route":"early_help_unit","level":2,"need_level":3,' "$T/need.out"
check_grep "route: the same level, no need_level" '"case_id":"N-2","route":"targeted_early_help","level":3,"rule"' "$T/need.out"
fd "$OLD" aud1 log --case N-1 >"$T/n1.json" || fail "log --case N-1"
check_grep "log: both levels logged" '"recommended_level":2,"need_level":3,"recommended_rule":"complex_need_no_consent"' "$T/n1.json"
fd "$OLD" aud1 log --case N-1 --format csv >"$T/n1.csv" || fail "log csv"
check_grep "log csv: need_level is the last column" '^seq,.*,user,need_level$' "$T/n1.csv"
check_grep "log csv: the row ends with the level of need" ',early_help_unit,2,complex_need_no_consent,early_help_unit,2,.*,3$' "$T/n1.csv"
printf 'k3y-for-the-test-only-1234567890\n' >"$T/key"
fd "$OLD" aud1 log --case N-1 --pseudonymise @"$T/key" >"$T/n1p.json" 2>"$T/err" || { fail "pseudonymised"; cat "$T/err"; }
check_grep "pseudonymised: the level of need is kept" '"recommended_level":2,"need_level":3,' "$T/n1p.json"
fd "$OLD" aud1 stats --by need --format csv >"$T/need.csv" || fail "stats --by need"
check_grep "stats --by need: a level-3 need at the EHU is counted" '^level 3,[0-9]*,0,1,' "$T/need.csv"
check_grep "stats --by need: the header" '^need,contacts,universal,early_help_unit,targeted_early_help,mash,' "$T/need.csv"
fd "$OLD" aud1 stats --by need >"$T/need.txt" || fail "stats --by need table"
check_eq "stats --by need: as many contacts as route and override records" \
	"$(awk '$1 == "(all)" { print $2 }' "$T/need.txt")" 16
fd "$OLD" aud1 verify --checkpoint "$OLDHEAD" >"$T/out" 2>&1
check_eq "versions 1 to 3 in one log: verifies against the old head" $? 0
check_grep "versions 1 to 3 in one log: every decision replayed, levels of need too" '^[0-9]* records checked, 16 decisions replayed: chain intact' "$T/out"
finish
