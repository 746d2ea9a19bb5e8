#!/bin/sh
# concurrency.sh: several officers record at once into one database, one commit per decision,
# while an auditor reads; every sequence number must then be used exactly once.

. "$(dirname "$0")/lib.sh"
need_root

WRITERS=${FD_WRITERS:-4}
DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
w=1
while [ "$w" -le "$WRITERS" ]; do
	fd "$DB" - users add "off$w" officer || fail "users add off$w"
	cases_with_prefix "W$w-" >"$T/in.$w"	# each writer's own slice: 200 cases
	w=$((w + 1))
done
PER=$(wc -l <"$CASES" | tr -d ' ')
TOTAL=$((PER * WRITERS))
# the publication and the grants come first in the log
SETUP=$(log_count "$DB")

# all writers wait for one signal, then start together
w=1
while [ "$w" -le "$WRITERS" ]; do
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		exec "$FRONTDOOR" --db "$DB" --as "off$w" route --record --batch 1 "$T/in.$w" \
		    >"$T/out.$w" 2>"$T/err.$w"
	) &
	eval "PID_$w=$!"
	BG_PIDS="$BG_PIDS $!"
	w=$((w + 1))
done
: >"$T/go"
# readers at the same time: they must neither fail nor block the writers
sleep 0.05
fd "$DB" aud1 log --format csv >"$T/during.csv" 2>"$T/during.err"
RC=$?; [ "$RC" = 0 ] || sed "s/^/  during.err: /" "$T/during.err"
check_eq "a log export during the writes succeeds" $RC 0
fd "$DB" aud1 verify --quiet >"$T/during.verify" 2>&1
RC=$?; [ "$RC" = 0 ] || sed "s/^/  during.verify: /" "$T/during.verify" | head -20
check_eq "verify during the writes passes" $RC 0
w=1
while [ "$w" -le "$WRITERS" ]; do
	eval "wait \$PID_$w"
	rc=$?
	check_eq "writer $w exits 0" "$rc" 0
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$T/err.$w"
	check_eq "writer $w acknowledged every case" "$(wc -l <"$T/out.$w" | tr -d ' ')" "$PER"
	w=$((w + 1))
done
BG_PIDS=

# the acknowledgements: seq numbers SETUP+1..SETUP+TOTAL, each given to one writer once
cat "$T"/out.* | sed -n 's/.*"seq":\([0-9]*\)}$/\1/p' | sort -n >"$T/acked"
check_eq "acknowledged seqs" "$(wc -l <"$T/acked" | tr -d ' ')" "$TOTAL"
check_eq "no seq acknowledged twice" "$(uniq -d "$T/acked" | wc -l | tr -d ' ')" 0
check_eq "acknowledged seqs run after the setup's $SETUP" "$(head -n 1 "$T/acked"):$(tail -n 1 "$T/acked")" "$((SETUP + 1)):$((SETUP + TOTAL))"

# the log itself
fd "$DB" aud1 log --format csv >"$T/log.csv" || fail "log --format csv"
tail -n +2 "$T/log.csv" >"$T/all"
check_eq "records in the log" "$(wc -l <"$T/all" | tr -d ' ')" "$((SETUP + TOTAL))"
cut -d, -f1 "$T/all" | sort -n >"$T/seqs"
check_eq "every seq exactly once" "$(uniq -d "$T/seqs" | wc -l | tr -d ' ')" 0
seq 1 "$((SETUP + TOTAL))" >"$T/want"
check "seqs are exactly 1..$((SETUP + TOTAL))" cmp -s "$T/seqs" "$T/want"
grep '^[0-9]*,[^,]*,route,' "$T/all" >"$T/rows"
check_eq "decisions in the log" "$(wc -l <"$T/rows" | tr -d ' ')" "$TOTAL"
cut -d, -f6 "$T/rows" | sort | uniq -d >"$T/dupids"
check_eq "every case recorded exactly once" "$(wc -l <"$T/dupids" | tr -d ' ')" 0
# each writer's acknowledgements match the log: same seq, same case, its own name as actor
w=1
while [ "$w" -le "$WRITERS" ]; do
	sed -n 's/^{"case_id":"\([^"]*\)".*"seq":\([0-9]*\)}$/\2,off'"$w"',\1/p' "$T/out.$w" | sort >"$T/ack.$w"
	awk -F, -v w="off$w" '$4 == w { print $1 "," $4 "," $6 }' "$T/rows" | sort >"$T/got.$w"
	check "writer $w: the log holds what it acknowledged" cmp -s "$T/ack.$w" "$T/got.$w"
	check_eq "writer $w: its records" "$(wc -l <"$T/got.$w" | tr -d ' ')" "$PER"
	w=$((w + 1))
done
# the writers did overlap (informational: a slow machine may serialise them)
switches=$(cut -d, -f4 "$T/rows" | uniq | wc -l | tr -d ' ')
echo "note: the log switches writer $switches times"

fd "$DB" aud1 verify >"$T/verify" 2>&1
check_eq "verify passes after concurrent writers" $? 0
check_grep "verify checked every record" "^$((SETUP + TOTAL)) records checked, $TOTAL decisions replayed: chain intact" "$T/verify"
finish
