#!/bin/sh
# lmdb_utils.sh: the standard LMDB tools (Debian lmdb-utils) read a frontdoor database:
# mdb_stat lists its tables, mdb_dump exports the log (whose chain is checked here from the
# dump alone), and a dump loaded or copied elsewhere verifies once its modes are private.

. "$(dirname "$0")/lib.sh"
command -v mdb_stat >/dev/null 2>&1 && command -v mdb_dump >/dev/null 2>&1 ||
	skip "mdb_stat and mdb_dump are not installed (Debian: lmdb-utils)"

DB=$T/db
if [ "$(id -u)" -eq 0 ]; then
	make_db "$DB" || { fail "cannot build the database"; finish; }
	fd "$DB" off1 route --record --batch 50 "$CASES" >/dev/null 2>"$T/err" || { fail "route --record"; cat "$T/err"; }
	# the decisions, after init's publication and the grants of make_db's users
	RECORDS=$(log_count "$DB")
	check_eq "every case and every grant logged" "$RECORDS" $(($(wc -l <"$CASES") + 6))
	ENTRIES=$RECORDS
	fd "$DB" aud1 checkpoint >/dev/null || fail "checkpoint"
else
	echo "note: not root, so no officer: checking init's publication and grant only"
	"$FRONTDOOR" init --db "$DB" --rules "$POLICY" >/dev/null || { fail "init"; finish; }
	RECORDS=0
	ENTRIES=2
fi

# ---- mdb_stat ----
mdb_stat -a "$DB" >"$T/stat" 2>&1
check_eq "mdb_stat -a succeeds" $? 0
for table in meta log cases rulesets published users checkpoints drafts queue; do
	check_grep "mdb_stat -a lists $table" "^Status of $table\$" "$T/stat"
done
# entries of one table, from mdb_stat -a output
entries() { awk -v t="Status of $1" '$0 == t { on = 1; next } /^Status of / { on = 0 } on && /Entries:/ { print $2 }' "$T/stat"; }
check_eq "mdb_stat: log entries" "$(entries log)" "$ENTRIES"
check_eq "mdb_stat: one rule set" "$(entries rulesets)" 1
mdb_dump -l "$DB" >"$T/names" 2>&1
check_eq "mdb_dump -l succeeds" $? 0
check_eq "the main table holds one entry per named table" "$(entries 'Main DB')" "$(wc -l <"$T/names" | tr -d ' ')"
mdb_stat -s log "$DB" >"$T/stat.log" 2>&1
check_eq "mdb_stat -s log succeeds" $? 0
check_grep "mdb_stat -s log counts the records" "Entries: $ENTRIES\$" "$T/stat.log"

# ---- mdb_dump ----
mdb_dump -s log "$DB" >"$T/dump" 2>"$T/dump.err"
check_eq "mdb_dump -s log succeeds" $? 0
check_grep "the dump names the table" '^database=log$' "$T/dump"
check_grep "the dump is complete" '^DATA=END$' "$T/dump"
check_eq "the dump has a key and a value per record" "$(grep -c '^ ' "$T/dump")" $((ENTRIES * 2))
if [ "$RECORDS" -gt 0 ]; then
	# from the dump alone: keys are 1..N big-endian, each value is a record of that seq,
	# record 1 follows the genesis, and each later one names the previous one's hash
	awk -v n="$RECORDS" '
		function hex16(i,   s) { s = sprintf("%016x", i); return s }
		/^ / {
			line = substr($0, 2)
			if (++k % 2 == 1) { key = line; next }
			i++
			if (key != hex16(i)) { print "key " key " where " hex16(i) " was expected"; bad++ }
			if (substr(line, 1, 6) != "464452" || substr(line, 7, 2) < "01" || substr(line, 7, 2) > "03") { print "value " i " is not an FDR record"; bad++ }
			if (substr(line, 9, 16) != key) { print "value " i " holds another seq"; bad++ }
			len = length(line)
			prev = substr(line, len - 127, 64)
			if (i == 1 && prev != sprintf("%064d", 0)) { print "record 1 does not follow the genesis"; bad++ }
			if (i > 1 && prev != hash) { print "record " i " does not follow " i - 1; bad++ }
			hash = substr(line, len - 63, 64)
		}
		END { if (i != n) { print i " records, " n " expected"; bad++ } exit bad > 0 }
	' "$T/dump" >"$T/chain" 2>&1
	if [ $? -eq 0 ]; then pass; else fail "the chain read from mdb_dump:"; head -5 "$T/chain" | sed 's/^/    /'; fi
	# the head in the dump is the one frontdoor checkpointed
	head=$(grep '^ ' "$T/dump" | tail -n 1 | awk '{ print substr($1, length($1) - 63) }')
	fd "$DB" aud1 verify --checkpoint "$RECORDS:$head" >"$T/out" 2>&1
	check_eq "the head hash in the dump is frontdoor's head" $? 0
fi

# ---- backups made with the tools ----
if command -v mdb_load >/dev/null 2>&1 && [ "$RECORDS" -gt 0 ]; then
	mdb_dump -a "$DB" >"$T/all" || fail "mdb_dump -a"
	mkdir "$T/restored"
	(umask 022 && mdb_load -f "$T/all" "$T/restored") 2>"$T/load.err"
	check_eq "mdb_load of the full dump succeeds" $? 0
	fd "$T/restored" aud1 verify >"$T/out" 2>&1
	check "a restored copy open to every user is refused" [ $? -ne 0 ]
	check_grep "the refusal says why" 'open to every user' "$T/out"
	chmod 2770 "$T/restored" && chmod 0660 "$T/restored"/*.mdb
	fd "$T/restored" aud1 verify >"$T/out" 2>&1
	check_eq "the restored copy verifies once private" $? 0
	check_eq "the restored copy holds every record" "$(log_count "$T/restored")" "$RECORDS"
fi
if command -v mdb_copy >/dev/null 2>&1 && [ "$RECORDS" -gt 0 ]; then
	mkdir -m 2770 "$T/copy"
	mdb_copy "$DB" "$T/copy" 2>"$T/copy.err"
	check_eq "mdb_copy (hot backup) succeeds" $? 0
	chmod 0660 "$T/copy"/*.mdb
	fd "$T/copy" aud1 verify >"$T/out" 2>&1
	check_eq "the mdb_copy backup verifies" $? 0
fi

# ---- the tools left the database as it was ----
check_eq "directory mode after the tools" "$(stat -c %a "$DB")" 2770
check_eq "data.mdb mode after the tools" "$(stat -c %a "$DB/data.mdb")" 660
check_eq "lock.mdb mode after the tools" "$(stat -c %a "$DB/lock.mdb")" 660
if [ "$RECORDS" -gt 0 ]; then
	fd "$DB" aud1 verify >"$T/out" 2>&1
	check_eq "frontdoor still verifies after the tools" $? 0
fi
finish
