#!/bin/sh
# lockwait.sh: a writer that finds frontdoor's writer lock held says who holds it (pid and
# user) and gives up after its bounded wait with nothing saved; readers meanwhile never
# wait; once the holder is gone the writer goes through; a lock file that is a symbolic
# link is refused and its target left alone. Runs as any user.
. "$(dirname "$0")/lib.sh"

DB=$T/db
"$FRONTDOOR" init --db "$DB" --rules "$POLICY" >/dev/null || { fail "init"; finish; }
fd "$DB" - users add early1 early_help || fail "a first writer"
check "the lock file is made 0660" [ "$(stat -c %a "$DB/writer.lock")" = 660 ]

# another process holds the lock, as a frontdoor writer would: its pid and uid in the file
python3 - "$DB/writer.lock" "$T/held" <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.flock(fd, fcntl.LOCK_EX)
os.ftruncate(fd, 0)
os.write(fd, b"%d %d\n" % (os.getpid(), os.getuid()))
open(sys.argv[2], "w").close()
time.sleep(120)
PY
HOLDER=$!
BG_PIDS=$HOLDER
while [ ! -e "$T/held" ]; do sleep 0.05; done
ME=$(id -un)

# readers go on while the lock is held
fd "$DB" - users list >"$T/list" 2>"$T/list.err"
check_eq "users list while a writer holds the lock" "$?" 0
fd "$DB" - rules history >/dev/null 2>&1
check_eq "rules history while a writer holds the lock" "$?" 0

fd "$DB" - users add someone officer >"$T/out" 2>"$T/err"
check_eq "the waiting writer gives up" "$?" 1
check_grep "it says it waits, and for whom" \
	"^frontdoor: waiting for the database: pid $HOLDER \(user $ME\) is writing to it \(giving up after 10 s\)$" "$T/err"
check_grep "it gives up with a clear message" \
	"the database is busy: pid $HOLDER \(user $ME\) has held its write lock for more than 10 s; nothing was saved" "$T/err"
fd "$DB" - users list >"$T/list"
check_nogrep "nothing was saved" "someone" "$T/list"

# the holder goes: the next writer does not wait
kill "$HOLDER"; wait "$HOLDER" 2>/dev/null; BG_PIDS=
fd "$DB" - users add someone officer >"$T/out" 2>"$T/err"
check_eq "a writer after the holder left" "$?" 0
check_nogrep "it did not wait" "waiting" "$T/err"

# a lock file replaced by a symbolic link is refused, its target never created
rm -f "$DB/writer.lock"
ln -s "$T/target" "$DB/writer.lock"
fd "$DB" - users add other officer >"$T/out" 2>"$T/err"
check_eq "a symbolic link as the lock file" "$?" 1
check_grep "refused with the reason" "writer.lock is a symbolic link: refusing to use it" "$T/err"
check "the link's target is not created" [ ! -e "$T/target" ]
finish
