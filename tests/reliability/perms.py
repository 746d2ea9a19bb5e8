#!/usr/bin/env python3
"""perms.py: file permissions. Under umask 000, 022 and 077 `frontdoor init` makes the
database directory 2770 and every file in it 0660 (the checkpoint signing key 0640: the group reads it,
nobody rewrites it), and they stay so after writes. As root:
a throwaway user outside the database's group cannot open it (nor read its files), while
a member of the group can open it (and is then refused for want of a role). A database
whose directory or files are open to every user (o+r, o+w, o+x) is refused with a message
naming the fix. A lock file made again is 0660 under any umask; init takes only a new or
empty directory of the user's own. CI and --long run the same checks (--long repeats the
umask runs 10 times)."""

import grp
import os
import pwd
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

KEY_MODE = 0o640  # checkpoint.key: read by the group, written once at init


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def main():
    s = rel.Suite("perms", __doc__)
    s.parse()
    fixture = rel.load_cases()
    reps = 10 if s.long else 1
    for rep in range(reps):
        for um in (0o000, 0o022, 0o077):
            db = os.path.join(s.tmp, "umask%03o-%d" % (um, rep))
            old = os.umask(um)
            try:
                r = s.fd("init", "--db", db, "--rules", rel.POLICY)
                ok = r.returncode == 0
                if ok and s.is_root():
                    s.fd("users", "add", "mgr", "manager", db=db)
                    r2 = s.fd("route", "--record", "-", db=db, as_user="mgr",
                              input="\n".join(fixture[:20]) + "\n")
                    ok = r2.returncode == 0
                    s.fd("checkpoint", db=db)
            finally:
                os.umask(old)
            s.check(ok, "umask %03o: init and writes" % um, r.stderr)
            dmode = mode(db)
            s.check(dmode == 0o2770, "umask %03o: directory is 2770" % um, "%04o" % dmode)
            files = sorted(os.listdir(db))
            s.check("data.mdb" in files and "lock.mdb" in files,
                    "umask %03o: data.mdb and lock.mdb exist" % um, str(files))
            for f in files:
                m = mode(os.path.join(db, f))
                want = KEY_MODE if f == "checkpoint.key" else 0o660
                s.check(m == want, "umask %03o: %s is %04o" % (um, f, want), "%04o" % m)
            if rep == 0:
                s.log("umask %03o: %s %04o, %s" % (um, os.path.basename(db), dmode, ", ".join(
                    "%s %04o" % (f, mode(os.path.join(db, f))) for f in files)))

    # a database open to every user is refused
    db = os.path.join(s.tmp, "open")
    r = s.fd("init", "--db", db, "--rules", rel.POLICY)
    for target, bits in (("", stat.S_IROTH | stat.S_IXOTH), ("data.mdb", stat.S_IROTH),
                         ("data.mdb", stat.S_IWOTH), ("lock.mdb", stat.S_IROTH),
                         ("lock.mdb", stat.S_IWOTH)):
        path = os.path.join(db, target) if target else db
        before = mode(path)
        os.chmod(path, before | bits)
        r = s.fd("verify", db=db)
        r2 = s.fd("log", "--last", "1", db=db)
        os.chmod(path, before)
        what = "%s with o+%s" % (target or "the directory", "rwx"[2 - (bits.bit_length() - 1) % 3]
                                 if bits in (4, 2, 1) else "rx")
        s.check(r.returncode == 1 and "open to every user" in r.stderr and "chmod" in r.stderr,
                "refused: %s (verify)" % what, r.stderr)
        s.check(r2.returncode == 1 and "open to every user" in r2.stderr,
                "refused: %s (log)" % what, r2.stderr)
    r = s.fd("verify", db=db, as_user="root") if s.is_root() else s.fd("verify", db=db)
    s.check("open to every user" not in r.stderr, "accepted again once the modes are back")

    # a lock file made again (it is only a lock: LMDB recreates it) is 0660 whatever the umask
    os.unlink(os.path.join(db, "lock.mdb"))
    old = os.umask(0o077)
    try:
        s.fd("log", "--last", "1", db=db)
    finally:
        os.umask(old)
    m = mode(os.path.join(db, "lock.mdb"))
    s.check(m == 0o660, "lock.mdb made again under umask 077 is 0660", "%04o" % m)

    # init makes a database only of a new, or empty, directory of the user's own
    full = os.path.join(s.tmp, "not-empty")
    os.mkdir(full, 0o755)
    with open(os.path.join(full, "notes.txt"), "w") as f:
        f.write("someone else's file\n")
    r = s.fd("init", "--db", full, "--rules", rel.POLICY)
    s.check(r.returncode == 1 and "is not empty" in r.stderr and mode(full) == 0o755,
            "init refuses a directory that is not empty, and leaves its mode", r.stderr)
    empty = os.path.join(s.tmp, "empty")
    os.mkdir(empty, 0o700)
    r = s.fd("init", "--db", empty, "--rules", rel.POLICY)
    s.check(r.returncode == 0 and mode(empty) == 0o2770, "init takes an empty directory",
            r.stderr)
    if s.is_root():
        theirs = os.path.join(s.tmp, "theirs")
        os.mkdir(theirs, 0o755)
        os.chown(theirs, pwd.getpwnam("nobody").pw_uid, -1)
        r = s.fd("init", "--db", theirs, "--rules", rel.POLICY)
        s.check(r.returncode == 1 and "belongs to another user" in r.stderr and
                mode(theirs) == 0o755 and not os.listdir(theirs),
                "init refuses another user's directory, and changes nothing in it", r.stderr)

    # users outside and inside the group
    if not s.is_root():
        s.log("outsider checks skipped: not root")
        s.finish()
    tag = "fdrel%d" % (os.getpid() % 100000)
    outsider, member, group = tag + "o", tag + "m", tag + "g"
    made = []
    try:
        for cmd in (["groupadd", group], ["useradd", "-M", "-N", "-s", "/bin/sh", outsider],
                    ["useradd", "-M", "-N", "-G", group, "-s", "/bin/sh", member]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                s.log("cannot create throwaway users (%s): %s" % (" ".join(cmd), r.stderr))
                break
            made.append(cmd)
        if len(made) < 3:
            s.log("outsider checks skipped")
            s.finish()
        db = os.path.join(s.tmp, "shared")
        r = s.fd("init", "--db", db, "--rules", rel.POLICY)
        subprocess.run(["chgrp", "-R", group, db], check=True)
        gid = grp.getgrnam(group).gr_gid
        s.check(os.stat(db).st_gid == gid, "the database belongs to group %s" % group)

        def as_user(user, *argv):
            env = s.env({"HOME": "/"})
            return subprocess.run(["runuser", "-u", user, "--", s.bin, "--db", db] +
                                  list(argv), capture_output=True, text=True, env=env,
                                  cwd="/")

        for argv in (["verify"], ["log", "--last", "1"], ["users", "list"]):
            r = as_user(outsider, *argv)
            s.check(r.returncode == 1 and ("Permission denied" in r.stderr or
                                           "no database" in r.stderr),
                    "outsider cannot open the database (%s)" % " ".join(argv),
                    "exit %d: %s" % (r.returncode, r.stderr))
        r = subprocess.run(["runuser", "-u", outsider, "--", "cat", os.path.join(db, "data.mdb")],
                           capture_output=True)
        s.check(r.returncode != 0 and not r.stdout, "outsider cannot read data.mdb")
        r = as_user(member, "verify")
        s.check(r.returncode == 1 and "has no role" in r.stderr,
                "a group member opens the database and is refused for want of a role",
                r.stderr)
        r = subprocess.run(["runuser", "-u", root_name(), "--", s.bin, "--db", db, "users",
                            "add", member, "auditor"], capture_output=True, text=True,
                           env=s.env())
        r = as_user(member, "verify")
        s.check(r.returncode == 0 and "chain intact" in r.stdout,
                "a group member with a role verifies", r.stderr)
        s.log("outsider %s: refused at open; member %s of %s: opens, refused without a role, "
              "works with one" % (outsider, member, group))
    finally:
        for user in (outsider, member):
            subprocess.run(["userdel", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
    s.finish()


def root_name():
    return pwd.getpwuid(0).pw_name


if __name__ == "__main__":
    main()
