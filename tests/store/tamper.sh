#!/bin/sh
# tamper.sh: edits copies of a recorded log behind frontdoor's back (tamper, liblmdb) and
# checks that `frontdoor verify` fails and names the sequence number and what is wrong.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }

BASE=$T/base
make_db "$BASE" || { fail "cannot build the database"; finish; }
# init's publication and the grants come first: the 150th decision is seq CK, the 200th LAST
OFF=$(log_count "$BASE")
CK=$((OFF + 150))
LAST=$((OFF + 200))
# 150 decisions, a checkpoint stored by an auditor at 150, then 50 more
head -n 150 "$CASES" >"$T/first.jsonl"
tail -n 50 "$CASES" >"$T/second.jsonl"
fd "$BASE" off1 route --record "$T/first.jsonl" >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
STORED=$(fd "$BASE" aud1 checkpoint) || fail "checkpoint"
check_eq "stored checkpoint names the 150th decision" "${STORED%%:*}" $CK
fd "$BASE" off1 route --record --batch 7 "$T/second.jsonl" >/dev/null 2>"$T/err" || { fail "route --record (second)"; cat "$T/err"; }
# the head as an auditor would copy it somewhere safe (not stored in the database)
EXT=$("$TAMPER" "$BASE" head)
check_eq "the log ends at the 200th decision" "${EXT%%:*}" $LAST

fd "$BASE" aud1 verify >"$T/out" 2>&1
check_eq "an untampered database verifies" $? 0
check_grep "untampered: every record checked" "^$LAST records checked, 200 decisions replayed: chain intact" "$T/out"
fd "$BASE" aud1 verify --checkpoint "$EXT" >"$T/out" 2>&1
check_eq "an untampered database matches its checkpoint" $? 0
fd "$BASE" aud1 verify --checkpoint "$STORED" --quiet >"$T/out" 2>&1
check_eq "an untampered database matches the older checkpoint" $? 0

# case id of record N in the fixture: C-0000000(N-1-OFF), as the cases were recorded in order
cid() { printf 'C-%08d' $(($1 - 1 - OFF)); }

N=0
# scenario NAME 'TAMPER ARGS' 'VERIFY ARGS': a fresh copy, tampered, verified into $T/NAME.out
scenario() {
	N=$((N + 1))
	_dir=$T/s$N
	OUT=$T/$1.out
	: >"$OUT"
	cp -a "$BASE" "$_dir"
	if ! "$TAMPER" "$_dir" $2; then
		fail "$1: tamper $2"
		return
	fi
	fd "$_dir" aud1 verify $3 >"$OUT" 2>&1
	RC=$?
	if [ "$RC" -eq 0 ]; then
		fail "$1: verify passed (exit 0) after tamper $2"
		sed 's/^/    /' "$OUT"
	else
		pass
	fi
	check_grep "$1: summary says FAILED" 'FAILED \([0-9]+ problems?\)$' "$OUT"
}
# only_seqs NAME SEQ...: every problem line names one of these sequence numbers
only_seqs() {
	_name=$1; shift
	_pat=$(echo "$*" | tr ' ' '|')
	grep -E '^seq [0-9]+[ :]' "$OUT" | grep -Ev "^seq ($_pat)[ :]" >"$OUT.other"
	if [ -s "$OUT.other" ]; then
		fail "$_name: problems reported at other sequence numbers than $*:"
		sed 's/^/    /' "$OUT.other"
	else
		pass
	fi
}

scenario flip_facts 'flip 77 facts' ''
check_grep "flipped byte: seq 77 edited" "^seq 77 case $(cid 77): edited: its hash does not match" "$OUT"
only_seqs flip_facts 77

scenario flip_hash 'flip 78 hash' ''
check_grep "flipped hash: seq 78 edited" "^seq 78 case $(cid 78): edited" "$OUT"
check_grep "flipped hash: seq 79 no longer follows" "^seq 79 case $(cid 79): the chain is broken" "$OUT"
only_seqs flip_hash 78 79

scenario flip_magic 'flip 79 magic' ''
check_grep "flipped magic: seq 79 damaged" '^seq 79: damaged record: not a record' "$OUT"
only_seqs flip_magic 79

scenario flip_length 'flip 80 len' ''
check_grep "flipped length: seq 80 damaged" '^seq 80: damaged record: (truncated|wrong length)' "$OUT"
only_seqs flip_length 80

scenario delete 'del 100' ''
check_grep "deleted: seq 100 missing" '^seq 100: missing: the log jumps from 99 to 101' "$OUT"
check_grep "deleted: seq 101 does not follow 99" "^seq 101 case $(cid 101): the chain is broken" "$OUT"
only_seqs delete 100 101

scenario delete_first 'del 1' ''
check_grep "deleted first: seq 1 missing" '^seq 1: missing: the log jumps from 0 to 2' "$OUT"
check_grep "deleted first: seq 2 does not follow the genesis" "^seq 2: the chain is broken" "$OUT"

scenario swap 'swap 60 90' ''
check_grep "swapped: seq 60 holds 90" "^seq 60 case $(cid 90): holds sequence number 90" "$OUT"
check_grep "swapped: seq 90 holds 60" "^seq 90 case $(cid 60): holds sequence number 60" "$OUT"
check_grep "swapped: the chain is broken at 60" '^seq 60 .*the chain is broken' "$OUT"
check_grep "swapped: the chain is broken at 61" '^seq 61 .*the chain is broken' "$OUT"
only_seqs swap 60 61 90 91

scenario insert_copy "copy 40 $((LAST + 1))" ''
check_grep "inserted copy: seq $((LAST + 1)) holds 40" "^seq $((LAST + 1)) case $(cid 40): holds sequence number 40" "$OUT"
check_grep "inserted copy: seq $((LAST + 1)) does not follow $LAST" "^seq $((LAST + 1)) .*the chain is broken" "$OUT"
only_seqs insert_copy $((LAST + 1))

scenario insert_forged "forge $((LAST + 1))" ''
check_grep "forged record: seq $((LAST + 1)) does not follow $LAST" "^seq $((LAST + 1)) .*the chain is broken" "$OUT"
check_nogrep "forged record: its own hash is right" 'edited' "$OUT"
only_seqs insert_forged $((LAST + 1))

# an extra key of 9 bytes sorts between 100 and 101; a second edit at 170 comes after it
N=$((N + 1))
OUT=$T/insert_middle.out
cp -a "$BASE" "$T/s$N"
"$TAMPER" "$T/s$N" rawkey 000000000000006400 50 && "$TAMPER" "$T/s$N" flip 170 ||
	fail "rawkey 000000000000006400 50; flip 170"
fd "$T/s$N" aud1 verify >"$OUT" 2>&1
check "extra key between 100 and 101: verify fails" [ $? -ne 0 ]
check_grep "extra key between 100 and 101 is reported after 100" '^seq 100: followed by a key that is not a sequence number$' "$OUT"
check "verify goes on past a malformed key: the edit at seq 170 after it is reported" \
	grep -q '^seq 170 .*edited' "$OUT"
fd "$T/s$N" aud1 log --format csv >"$OUT.csv" 2>&1
check "log goes on past a malformed key: records 101..200 are in the export" \
	[ "$(grep -c '^[0-9]' "$OUT.csv")" -ge $LAST ]

# a short key that sorts after the newest record: the log still verifies to its end
scenario malformed_last 'rawkey ffff 50' ''
check_grep "malformed last key: reported after $LAST" "^seq $LAST: followed by a key that is not a sequence number\$" "$OUT"
check_grep "malformed last key: every record still checked" "^$((LAST + 1)) records checked, 200 decisions replayed: FAILED \\(1 problem\\)\$" "$OUT"

# a record under key 0 sorts before record 1 (dlog_scan starts at key 1)
N=$((N + 1))
OUT=$T/insert_before_first.out
cp -a "$BASE" "$T/s$N"
"$TAMPER" "$T/s$N" rawkey 0000000000000000 5 || fail "rawkey 0000000000000000 5"
fd "$T/s$N" aud1 verify >"$OUT" 2>&1
check "a record stored under key 0 fails verify" [ $? -ne 0 ]

# the case index is outside the chain: an entry naming another case's record
N=$((N + 1))
OUT=$T/index.out
cp -a "$BASE" "$T/s$N"
"$TAMPER" "$T/s$N" index "$(cid $((OFF + 10)))" $((OFF + 5)) || fail "index"
fd "$T/s$N" aud1 log --case "$(cid $((OFF + 10)))" --format csv >"$OUT" 2>&1
check "log --case $(cid $((OFF + 10))) leaves out record $((OFF + 5)) of case $(cid $((OFF + 5))) that a forged index entry names" \
	sh -c "! grep -q ',$(cid $((OFF + 5))),' '$OUT'"

scenario rehash 'rehash 120' ''
check_grep "rewritten with its own hash: seq 121 no longer follows" "^seq 121 case $(cid 121): the chain is broken" "$OUT"
check_nogrep "rewritten with its own hash: not reported as edited" 'edited' "$OUT"
check_grep "rewritten with its own hash: its leaf in the tree differs" "^seq 120 case $(cid 120): tree leaf differs" "$OUT"
only_seqs rehash 120 121

scenario truncate_stored 'truncate 60' ''
check_grep "truncated past a stored checkpoint" "^seq $CK: truncated: a stored checkpoint names this record" "$OUT"
check_grep "truncated: the tree is longer than the log" "^seq $((LAST - 59)): truncated: the log's tree holds $LAST records, but the log ends at $((LAST - 60))\$" "$OUT"
# the case index, the cases' state and the queue still hold the records cut off
only_seqs truncate_stored $(seq $((LAST - 59)) $LAST) $CK

# truncation that no stored checkpoint covers: the auditor's own copy of the head catches it
N=$((N + 1))
cp -a "$BASE" "$T/s$N"
"$TAMPER" "$T/s$N" truncate 10 && "$TAMPER" "$T/s$N" clear checkpoints || fail "truncate 10"
fd "$T/s$N" aud1 verify >"$T/trunc_plain.out" 2>&1
check_eq "truncated with plain liblmdb: verify fails without a checkpoint" $? 1
check_grep "truncated with plain liblmdb: the case index still lists the records cut off" \
	"^seq $LAST: the case index lists this record, which is not a decision in the log" "$T/trunc_plain.out"
OUT=$T/truncate_checkpoint.out
fd "$T/s$N" aud1 verify --checkpoint "$EXT" >"$OUT" 2>&1
check "truncated, checked against the checkpoint: verify fails" [ $? -ne 0 ]
check_grep "truncated: the checkpoint names $LAST, the log ends at $((LAST - 10))" "^seq $LAST: truncated: the checkpoint names this record, but the log ends at $((LAST - 10))" "$OUT"
only_seqs truncate_checkpoint $(seq $((LAST - 9)) $LAST)

# history rewritten from 170 on, every hash recomputed: only checkpoints can tell
scenario rechain_checkpoint 'rechain 170' "--checkpoint $EXT"
check_grep "rewritten history differs from the checkpoint" "^seq $LAST case $(cid $LAST): differs from the checkpoint: history was rewritten" "$OUT"
# the stored tree still holds the old leaves: each rewritten record is named
check_grep "rewritten history: the tree names the first rewritten record" "^seq 170 case $(cid 170): tree leaf differs" "$OUT"
only_seqs rechain_checkpoint $(seq 170 $LAST)

scenario rechain_stored 'rechain 120' ''
check_grep "rewritten history differs from the stored checkpoint" "^seq $CK case $(cid $CK): differs from a stored checkpoint" "$OUT"
only_seqs rechain_stored $(seq 120 $LAST)

# the stored checkpoint itself, rewritten to the new head, is still caught by the auditor's copy
N=$((N + 1))
cp -a "$BASE" "$T/s$N"
"$TAMPER" "$T/s$N" rechain 10 && "$TAMPER" "$T/s$N" clear checkpoints || fail "rechain 10"
fd "$T/s$N" aud1 verify >"$T/rechain_plain.out" 2>&1
[ $? -eq 0 ] && echo "note: a rewritten history with recomputed hashes passes without a checkpoint (by design)"
OUT=$T/rechain_old_checkpoint.out
fd "$T/s$N" aud1 verify --checkpoint "$STORED" >"$OUT" 2>&1
check "rewritten from 10, checked against the checkpoint at 150: verify fails" [ $? -ne 0 ]
check_grep "rewritten from 10: seq $CK differs from the checkpoint" "^seq $CK .*differs from the checkpoint" "$OUT"

# a checkpoint that does not parse is a usage error, not a pass
fd "$BASE" aud1 verify --checkpoint "200:nothex" >"$T/out" 2>&1
check_eq "a malformed checkpoint is a usage error" $? 2

# a stored rule set edited in place (a comment added: the rules read the same): content
# addressing catches it; verify names every decision it can no longer vouch for, recording
# under it is refused, rules history marks it and rules get says so
scenario ruleset_edit 'ruleset-append #edited' ''
check_grep "ruleset edited: named first" '^rule set sha256:[0-9a-f]{64}: altered: its stored bytes no longer hash to its name$' "$OUT"
check_eq "ruleset edited: named first" "$(head -n 1 "$OUT" | cut -c1-9)" "rule set "
check_grep "ruleset edited: replay refused" "^seq $((OFF + 1)) case $(cid $((OFF + 1))): cannot replay: stored rule set sha256:[0-9a-f]{64} has been altered" "$OUT"
fd "$_dir" aud1 rules history >"$T/hist" 2>&1
check_grep "ruleset edited: history marks it" 'sha256:[0-9a-f]{64}	[^	]*	ALTERED$' "$T/hist"
HASH=$(grep -o 'sha256:[0-9a-f]*' "$T/hist" | tail -n 1)
fd "$_dir" aud1 rules get "$HASH" >"$T/got" 2>"$T/err"
check "ruleset edited: rules get fails" [ $? -ne 0 ]
check_grep "ruleset edited: rules get says why" 'have been altered' "$T/err"
check_grep "ruleset edited: rules get still gives the bytes" '^#edited$' "$T/got"
tail -n 1 "$CASES" | sed 's/"case_id":"[^"]*"/"case_id":"R-1"/' >"$T/one.jsonl"
fd "$_dir" off1 route --record "$T/one.jsonl" >/dev/null 2>"$T/err"
check "ruleset edited: recording refused" [ $? -ne 0 ]
check_grep "ruleset edited: recording says why" 'has been altered in the database' "$T/err"
# and an untouched one comes out byte for byte
fd "$BASE" aud1 rules get "$HASH" >"$T/got" 2>"$T/err"
check_eq "rules get: exit 0" $? 0
check_eq "rules get: the exact bytes" "$(sha256sum <"$T/got" | cut -c1-64)" "${HASH#sha256:}"

# the original was never touched by any of this
fd "$BASE" aud1 verify --checkpoint "$EXT" >"$T/out" 2>&1
check_eq "the original still verifies" $? 0

finish
