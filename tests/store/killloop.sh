#!/bin/sh
# killloop.sh: a writer committing one decision at a time is killed with SIGKILL at random
# moments; whatever it acknowledged (printed with its seq) must be in the log, the log must
# verify, and the next writer must carry on.
# FD_KILL_CYCLES (default 20) sets the number of kills, FD_KILL_SEED the random seed.

. "$(dirname "$0")/lib.sh"
need_root

CYCLES=${FD_KILL_CYCLES:-${1:-20}}
SEED=${FD_KILL_SEED:-$$}
echo "kill cycles: $CYCLES, seed: $SEED (FD_KILL_SEED=$SEED reproduces the delays)"
DB=$T/db
make_db "$DB" || { fail "cannot build the database"; finish; }
awk -v n="$CYCLES" -v seed="$SEED" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%.3f\n", 0.02 + rand() * 0.3 }' >"$T/delays"
: >"$T/acked"
acked_total=0
killed=0
c=0
while [ "$c" -lt "$CYCLES" ]; do
	c=$((c + 1))
	delay=$(sed -n "${c}p" "$T/delays")
	r=0
	while [ $r -lt 10 ]; do cases_with_prefix "K${c}r$r-"; r=$((r + 1)); done >"$T/in"
	"$FRONTDOOR" --db "$DB" --as off1 route --record --batch 1 "$T/in" >"$T/out" 2>"$T/err" &
	writer=$!
	BG_PIDS=$writer
	# a reader killed at the same moment leaves a stale reader slot behind
	"$FRONTDOOR" --db "$DB" --as aud1 log >/dev/null 2>&1 &
	reader=$!
	BG_PIDS="$writer $reader"
	sleep "$delay"
	kill -9 "$writer" "$reader" 2>/dev/null
	wait "$writer" 2>/dev/null
	rc=$?
	wait "$reader" 2>/dev/null
	BG_PIDS=
	[ "$rc" -eq 137 ] && killed=$((killed + 1))
	if [ "$rc" -ne 137 ] && [ "$rc" -ne 0 ]; then
		fail "cycle $c: the writer failed by itself (exit $rc)"
		sed 's/^/    /' "$T/err"
	fi
	# acknowledged: complete lines only (the kill may cut the last one short)
	sed -n 's/^{"case_id":"\([^"]*\)".*"seq":\([0-9]*\)}$/\2,\1/p' "$T/out" >"$T/acked.now"
	n=$(wc -l <"$T/acked.now" | tr -d ' ')
	acked_total=$((acked_total + n))
	cat "$T/acked.now" >>"$T/acked"

	fd "$DB" aud1 log --format csv >"$T/log.csv" 2>"$T/log.err"
	check_eq "cycle $c: the log can be read after the kill" $? 0
	tail -n +2 "$T/log.csv" | cut -d, -f1,6 | sort >"$T/have"
	sort "$T/acked" | comm -23 - "$T/have" >"$T/lost"
	if [ -s "$T/lost" ]; then
		fail "cycle $c (killed after ${delay}s): acknowledged but not in the log (seq,case):"
		head -5 "$T/lost" | sed 's/^/    /'
	else
		pass
	fi
	records=$(wc -l <"$T/have" | tr -d ' ')
	last=$(cut -d, -f1 "$T/have" | sort -n | tail -n 1)
	check_eq "cycle $c: seqs run 1..N without gaps" "${last:-0}" "$records"
	fd "$DB" aud1 verify --quiet >"$T/verify" 2>&1
	if [ $? -eq 0 ]; then pass; else
		fail "cycle $c: verify after the kill"
		sed 's/^/    /' "$T/verify" | tail -5
	fi
done
echo "note: $killed of $CYCLES writers were killed mid-run; $acked_total decisions acknowledged, $records in the log"
check "some decisions were acknowledged before the kills" [ "$acked_total" -gt 0 ]
check "the writers were killed while writing" [ "$killed" -gt 0 ]

# the next writer runs to completion
before=$(log_count "$DB")
cases_with_prefix "F-" >"$T/in"
fd "$DB" off1 route --record --batch 1 "$T/in" >"$T/out" 2>"$T/err"
check_eq "a writer after the kills exits 0" $? 0
check_eq "it acknowledged every case" "$(wc -l <"$T/out" | tr -d ' ')" "$(wc -l <"$CASES" | tr -d ' ')"
check_eq "its first seq follows the last record" "$(sed -n '1s/.*"seq":\([0-9]*\)}$/\1/p' "$T/out")" $((before + 1))
check_eq "the log grew by its cases" "$(log_count "$DB")" $((before + $(wc -l <"$CASES")))
fd "$DB" aud1 verify >"$T/verify" 2>&1
check_eq "the final log verifies" $? 0
finish
