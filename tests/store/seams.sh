#!/bin/sh
# seams.sh: a log of 100,010 records tampered at the seam between the parts that two verify
# threads check: one and two threads must both fail and report the same problems.

. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TAMPER" ] || { echo "no tamper helper at $TAMPER"; echo "0 passed, 1 failed"; exit 1; }

BIG=$T/big
make_db "$BIG" || { fail "cannot build the large database"; finish; }
# init's publication and the grants come first
OFF=$(log_count "$BIG")
# 100,010 records (the setup's and decisions): with --threads 2 the second part starts at 50006
i=0
while [ $i -le 500 ]; do cases_with_prefix "R$i-"; i=$((i + 1)); done | head -n $((100010 - OFF)) |
	fd "$BIG" off1 route --record >/dev/null 2>"$T/err" || { fail "route --record (large)"; cat "$T/err"; }
# problems without the case ids (a seam does not know them), in order
problems() { sed -E 's/^(seq [0-9]+)( case [^:]*)?: /\1: /' "$1" | grep '^seq ' | sort; }
# seam NAME 'TAMPER ARGS' PATTERN: one and two threads both fail and report the same problems
seam() {
	"$TAMPER" "$BIG" $2 || { fail "$1: tamper $2"; return; }
	fd "$BIG" aud1 verify --threads 1 >"$T/$1.1" 2>&1
	check "$1: verify with one thread fails" [ $? -ne 0 ]
	fd "$BIG" aud1 verify --threads 2 >"$T/$1.2" 2>&1
	check "$1: verify with two threads fails" [ $? -ne 0 ]
	OUT=$T/$1.2
	check_grep "$1: two threads report it" "$3" "$OUT"
	problems "$T/$1.1" >"$T/$1.p1"
	problems "$T/$1.2" >"$T/$1.p2"
	if cmp -s "$T/$1.p1" "$T/$1.p2"; then pass; else
		fail "$1: one and two threads report different problems"
		diff "$T/$1.p1" "$T/$1.p2" | sed 's/^/    /'
	fi
}
fd "$BIG" aud1 verify --threads 2 >"$T/out" 2>&1
check_eq "large log verifies with two threads" $? 0
check_grep "large log: every record checked" '^100010 records checked' "$T/out"
seam seam_edit 'flip 50005 hash' '^seq 50006: the chain is broken'
"$TAMPER" "$BIG" flip 50005 hash	# flipped back
seam seam_swap 'swap 50005 50006' '^seq 50005 .*holds sequence number 50006'
"$TAMPER" "$BIG" swap 50005 50006
fd "$BIG" aud1 verify --threads 2 >"$T/out" 2>&1
check_eq "large log restored verifies again" $? 0
seam seam_delete 'del 50006' '^seq 50006: missing: the log jumps from 50005 to 50007'
seam seam_delete_before 'del 50005' '^seq 50005: missing: the log jumps from 50004 to 50007'
rm -rf "$BIG"

finish
