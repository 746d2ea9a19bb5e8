#!/bin/sh
# witness.sh: signed checkpoints, proofs and a witness on another "host" (its own directory):
# the signatures checked with OpenSSL's command line, the proofs with notecheck.py; an
# honest append is cosigned, and a rewritten-and-rechained, a re-recorded (one record
# deleted), a truncated and a forked log, and a checkpoint signed by another key, are each
# refused, leaving what the witness holds unchanged. Then an archived read-only copy
# verifies against the witness's checkpoint.
. "$(dirname "$0")/lib.sh"
need_root
command -v openssl >/dev/null || skip "no openssl command"
NC="python3 $(dirname "$0")/notecheck.py"
W=$T/witness
DB=$T/db

# request DB OLD: the add-checkpoint request a cron job would pipe from the log's host
request() { fd "$1" - prove --from "$2"; }
# add FILE: the witness checks a request; its stderr goes to $T/refusal
add() { "$FRONTDOOR" witness --dir "$W" add "$1" >"$T/cosigned" 2>"$T/refusal"; }
held() { "$FRONTDOOR" witness --dir "$W" size "$ORIGIN"; }
record() { fd "$1" off1 route --record >/dev/null 2>"$T/err" || { fail "route --record on $1"; cat "$T/err"; }; }
# refused NAME REQUEST STATUS: the witness refuses loudly with that status, holding what it held
refused() {
	cp "$W/logs/$LOGFILE.checkpoint" "$T/before"
	add "$2"
	check "$1: refused (exit 1)" [ $? -eq 1 ]
	check_grep "$1: refused loudly" "^frontdoor witness: \\[$3\\] REFUSED" "$T/refusal"
	check "$1: nothing cosigned" [ ! -s "$T/cosigned" ]
	check "$1: the checkpoint held is unchanged" cmp -s "$T/before" "$W/logs/$LOGFILE.checkpoint"
}
# openssl_ok NOTE VKEY: OpenSSL verifies the signature in NOTE made by VKEY's key
openssl_ok() {
	mkdir -p "$T/ossl"
	[ "$($NC split "$1" "${2%%+*}" "$T/ossl")" = ok ] || return 1
	$NC der "$2" "$T/ossl/pub.der"
	openssl pkeyutl -verify -pubin -inkey "$T/ossl/pub.der" -keyform DER -rawin \
	    -in "$T/ossl/msg" -sigfile "$T/ossl/sig" >/dev/null 2>&1
}

make_db "$DB" || fail "make_db"
# init's publication and five grants are records 1-6: 43 decisions make 49 records
head -n 43 "$CASES" | record "$DB"
cp -a "$DB" "$T/snap49"			# the log as it was at 49 records, key and all
sed -n '50,100p' "$CASES" | record "$DB"

# ---- the log's key and a signed checkpoint, checked independently ----
fd "$DB" - checkpoint --vkey >"$T/vkey" || fail "checkpoint --vkey"
VKEY=$(cat "$T/vkey")
ORIGIN=${VKEY%%+*}
LOGFILE=$(printf '%s' "$ORIGIN" | sha256sum | cut -c1-64)
check_eq "vkey: key id is SHA-256(name, newline, 0x01, key)[:4]" "$($NC keyid "$VKEY")" ok
check "the private key is the group's alone (0640)" [ "$(stat -c %a "$DB/checkpoint.key")" = 640 ]
check_nogrep "the key is never in the database file" "PRIVATE" "$DB/data.mdb"
fd "$DB" aud1 checkpoint --signed >"$T/cp100" || fail "checkpoint --signed"
check_eq "checkpoint: C2SP form" "$($NC form "$T/cp100")" ok
check_eq "checkpoint: origin line is the key's name" "$(head -n 1 "$T/cp100")" "$ORIGIN"
check_eq "checkpoint: tree size" "$(sed -n 2p "$T/cp100")" 100
check_grep "checkpoint: signature line with an em dash" "^$(printf '\342\200\224') $ORIGIN [A-Za-z0-9+/]{91}=\$" "$T/cp100"
check "checkpoint: OpenSSL verifies the Ed25519 signature" openssl_ok "$T/cp100" "$VKEY"
sed 's/^100$/101/' "$T/cp100" >"$T/cp-edited"
mkdir -p "$T/ossl" && $NC split "$T/cp-edited" "$ORIGIN" "$T/ossl" >/dev/null
check "checkpoint: OpenSSL refuses it with the size edited" sh -c "! openssl pkeyutl -verify -pubin \
    -inkey '$T/ossl/pub.der' -keyform DER -rawin -in '$T/ossl/msg' -sigfile '$T/ossl/sig' >/dev/null 2>&1"
fd "$DB" - checkpoint --signed --size 60 >"$T/cp60" || fail "checkpoint --size 60"
check_eq "checkpoint of an earlier size" "$(sed -n 2p "$T/cp60")" 60

# ---- inclusion proofs: checked by frontdoor with the key alone, and by notecheck.py ----
fd "$DB" aud1 prove 42 --checkpoint "$T/cp100" >"$T/incl42" || fail "prove 42"
check_eq "inclusion: the independent checker agrees" "$($NC inclusion "$T/incl42")" ok
"$FRONTDOOR" check-proof --vkey "$T/vkey" "$T/incl42" >"$T/out" 2>&1
check "inclusion: check-proof passes" [ $? -eq 0 ]
check_grep "inclusion: names the record and its case" "^proven: record 42 \\(case $(printf 'C-%08d' 35), route\\) is entry 42 of the log $ORIGIN of 100 records" "$T/out"
fd "$DB" aud1 prove --case "$(printf 'C-%08d' 7)" >"$T/incl-case" || fail "prove --case"
check_grep "inclusion by case: its newest record (the 8th decision)" "^index 13$" "$T/incl-case"
awk 'NR == 5 { $0 = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=" } { print }' "$T/incl42" >"$T/incl-bad"
"$FRONTDOOR" check-proof --vkey "$VKEY" "$T/incl-bad" >"$T/out" 2>&1
check "inclusion: an altered path is refused" [ $? -eq 1 ]
check_grep "inclusion: says not proven" "NOT PROVEN" "$T/out"
check_eq "inclusion: the independent checker refuses it too" "$($NC inclusion "$T/incl-bad")" "root differs"

# ---- a witness on another host: its own directory and key, no database ----
"$FRONTDOOR" witness --dir "$W" init --name witness.test/w1 >"$T/wvkey" || fail "witness init"
WVKEY=$(cat "$T/wvkey")
check_eq "witness key: cosignature key id (type 0x04)" "$($NC keyid "$WVKEY")" ok
"$FRONTDOOR" witness --dir "$W" trust "$VKEY" || fail "witness trust"
request "$DB" 0 >"$T/req0"
check_grep "request: tlog-witness form" '^old 0$' "$T/req0"
add "$T/req0"
check "first checkpoint cosigned" [ $? -eq 0 ]
check "the cosigned checkpoint carries the log's signature" openssl_ok "$T/cosigned" "$VKEY"
check "and the witness's cosignature, verified by OpenSSL" openssl_ok "$T/cosigned" "$WVKEY"
check_eq "witness holds 100" "$(held)" 100

# honest append
sed -n '101,150p' "$CASES" | record "$DB"
request "$DB" "$(held)" >"$T/req" && add "$T/req"
check "honest append cosigned" [ $? -eq 0 ]
check_eq "witness holds 150" "$(held)" 150
refused "a stale request (old size not the one held)" "$T/req0" 409

# ---- two databases from one copy: a forked log ----
cp -a "$DB" "$T/forkB"
cases_with_prefix A- | sed -n '151,160p' | record "$DB"
cases_with_prefix B- | sed -n '151,160p' | record "$T/forkB"
request "$DB" 150 >"$T/req" && add "$T/req"
check "fork A (the log itself) cosigned at 160" [ $? -eq 0 ]
request "$T/forkB" 150 >"$T/reqB"
refused "fork B at the same old size" "$T/reqB" 409
request "$T/forkB" 160 >"$T/reqB"
refused "fork B, same size, another root" "$T/reqB" 409
check_grep "fork B: named a fork" "FORK" "$T/refusal"
cases_with_prefix B- | sed -n '161,170p' | record "$T/forkB"
request "$T/forkB" 160 >"$T/reqB"
refused "fork B grown past the size held" "$T/reqB" 422

# ---- rewritten and re-chained, the tree rebuilt, signed with the log's own key ----
cp -a "$DB" "$T/rw"
"$TAMPER" "$T/rw" rechain 120 && "$TAMPER" "$T/rw" clear tree && "$TAMPER" "$T/rw" clear checkpoints ||
	fail "tamper rechain"
cases_with_prefix R- | sed -n '1,10p' | record "$T/rw"		# the tree is rebuilt on open
fd "$T/rw" aud1 verify >"$T/out" 2>&1
check "rewritten log: verify alone passes (by design: only a checkpoint kept elsewhere tells)" [ $? -eq 0 ]
request "$T/rw" 160 >"$T/req"
refused "rewritten and re-chained log" "$T/req" 422
check_grep "rewritten: says the history was rewritten" "REWRITTEN" "$T/refusal"
"$FRONTDOOR" witness --dir "$W" held "$ORIGIN" >"$T/held"
fd "$T/rw" aud1 verify --checkpoint "$T/held" >"$T/out" 2>&1
check "rewritten log: verify against the witness's checkpoint fails" [ $? -eq 1 ]
check_grep "rewritten log: differs from the signed checkpoint" "^seq 160: differs from the signed checkpoint of 160 records" "$T/out"

# ---- one record deleted: the history recorded again from 49 records without record 50 ----
D=$T/snap49
sed -n '51,150p' "$CASES" | record "$D"
cases_with_prefix A- | sed -n '151,160p' | record "$D"
check_eq "re-recorded log: 159 records" "$(log_count "$D")" 159
fd "$D" - prove --from 160 >/dev/null 2>"$T/err"
check "re-recorded log: cannot even prove from 160" [ $? -ne 0 ]
{ echo "old 160"; echo; fd "$D" - checkpoint --signed; } >"$T/req"
refused "one record deleted (shorter than held)" "$T/req" 400
cases_with_prefix D- | sed -n '1,5p' | record "$D"
request "$D" 160 >"$T/req"
refused "one record deleted, then grown past the size held" "$T/req" 422

# ---- truncated: the last ten records gone, the tree rebuilt ----
cp -a "$DB" "$T/tr"
"$TAMPER" "$T/tr" truncate 10 && "$TAMPER" "$T/tr" clear tree && "$TAMPER" "$T/tr" clear checkpoints ||
	fail "tamper truncate"
fd "$T/tr" - checkpoint --signed >"$T/cp-tr" || fail "checkpoint of the truncated log"
check_eq "truncated log: 150 records" "$(sed -n 2p "$T/cp-tr")" 150
{ echo "old 160"; echo; cat "$T/cp-tr"; } >"$T/req"
refused "truncated (old size past the checkpoint)" "$T/req" 400
{ echo "old 150"; echo; cat "$T/cp-tr"; } >"$T/req"
refused "truncated (from its own size)" "$T/req" 409
check_grep "truncated: says so" "TRUNCATED" "$T/refusal"

# ---- another key claiming the same log ----
make_db "$T/other" && "$FRONTDOOR" init --db "$T/other2" --origin "$ORIGIN" --rules "$POLICY" >/dev/null ||
	fail "init --origin"
{ echo "old 160"; echo; fd "$T/other2" - checkpoint --signed; } >"$T/req"
refused "a checkpoint signed by another key" "$T/req" 403
{ echo "old 0"; echo; fd "$T/other" - checkpoint --signed; } >"$T/req"
refused "a log the witness does not know" "$T/req" 404

# ---- after all that, the honest log still grows and is cosigned ----
cases_with_prefix A- | sed -n '161,170p' | record "$DB"
request "$DB" "$(held)" >"$T/req" && add "$T/req"
check "honest append after the refusals: cosigned" [ $? -eq 0 ]
check_eq "witness holds 170" "$(held)" 170
check "the new cosignature verifies" openssl_ok "$T/cosigned" "$WVKEY"

# ---- an archived copy on read-only media: no lock file can be made there ----
"$FRONTDOOR" witness --dir "$W" held "$ORIGIN" >"$T/held"
fd "$DB" - users add nobody auditor || fail "users add nobody"	# record 171, the grant
R=$T/archive
mkdir "$R" && cp "$DB/data.mdb" "$R/" && chgrp -R nogroup "$R" && chmod 0750 "$R" && chmod 0640 "$R/data.mdb" &&
	chmod 0755 "$T" || fail "archive"
if command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$FRONTDOOR" --db "$R" verify --checkpoint "$T/held" >"$T/out" 2>&1
	check "archived read-only copy: verify against the witness's checkpoint passes" [ $? -eq 0 ]
	check_grep "archived copy: the signed checkpoint is verified" "^signed checkpoint of 170 records: signature and tree root verified" "$T/out"
	check "archived copy: no lock file was made" [ ! -e "$R/lock.mdb" ]
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$FRONTDOOR" --db "$R" prove 5 --checkpoint "$T/held" >"$T/incl5" 2>"$T/err"
	check "archived copy: an inclusion proof against the witness's checkpoint" [ $? -eq 0 ]
	check_eq "archived copy: the proof checks" "$($NC inclusion "$T/incl5")" ok
else
	echo "note: no setpriv: the read-only archive checks are skipped"
fi
# ---- a database from before the tree: read as it is, given its tree on the first write ----
cp -a "$DB" "$T/old"
"$TAMPER" "$T/old" drop tree || fail "tamper drop tree"
rm -rf "$R" && mkdir "$R" && cp "$T/old/data.mdb" "$R/" && chgrp -R nogroup "$R" && chmod 0750 "$R" &&
	chmod 0640 "$R/data.mdb" || fail "archive of the old database"
if command -v setpriv >/dev/null; then
	setpriv --reuid=nobody --regid=nogroup --clear-groups "$FRONTDOOR" --db "$R" verify --checkpoint "$T/held" >"$T/out" 2>&1
	check "old read-only database without a tree: verify against the checkpoint passes" [ $? -eq 0 ]
	check_grep "old read-only database: no tree yet" "^tree: 0 of 171 records \(the rest are added on the next write\)$" "$T/out"
	check_grep "old read-only database: the root computed from the records" "^signed checkpoint of 170 records: signature and tree root verified" "$T/out"
fi
# a reader opens it read-only and never builds the tree; a writer (a stored checkpoint) does
fd "$T/old" aud1 checkpoint >/dev/null || fail "open the old database for writing"
fd "$T/old" aud1 verify --checkpoint "$T/held" >"$T/out" 2>&1
check "old database, opened once for writing: verify passes" [ $? -eq 0 ]
check_grep "old database: the tree is built" "^tree: 171 of 171 records$" "$T/out"
request "$T/old" 170 >"$T/req" && add "$T/req"
check "old database: its checkpoint is the one the witness holds" [ $? -eq 0 ]
finish
