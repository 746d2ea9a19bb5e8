#!/usr/bin/env python3
"""privsep.py: privilege separation on a real install, as real OS users. As root it makes a
group of its own, throwaway users outside it (one per role, one with no role, one outsider),
a setgid copy of frontdoor (built to read its settings from the build tree) and a settings
file naming the system database; root creates the database with `init`. Then, as the users:
nothing in the database directory can be listed, opened, read, written, linked or renamed;
the whole role x command matrix of roles.py runs through the setgid binary, the person being
the real uid; a symlinked or non-regular lock.mdb, writer.lock or data.mdb, an ACL granting an outsider,
a directory a practitioner owns and a pre-created directory are refused, with the symlink's
target untouched; `--db` and $FRONTDOOR_DB elsewhere give up the group for good
(what they create belongs to the person's own group) while `--db` naming the system database
by another path keeps it; a file only the database's group can read is refused as input
(case file, rule file, what-if candidate, free-text file), and so is a free-text file in the
database directory; a user whose role does not allow a write is refused without waiting
for the writer lock (root holding it), so a refused process never holds it; an admin signs
checkpoints and proves through the setgid binary with a signing key no practitioner can
read, by any road; the settings file must be root's. Everything it made is removed
afterwards. Skipped (77) when not root."""

import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402
import roles  # noqa: E402

ROLE_USERS = ("officer", "early_help", "manager", "auditor", "admin", "officer2", "manager2")


class Install:
    """The throwaway group, users, setgid binary and settings file, and how to run as each."""

    def __init__(self, s):
        self.s = s
        tag = "fdps%d" % (os.getpid() % 100000)
        self.group = tag + "g"
        self.users = {role: "%s%s" % (tag, role.replace("_", "")[:5] + role[-1])
                      for role in ROLE_USERS}
        self.nobody = tag + "none"
        self.made_users = []
        self.made_group = False
        self.conf = os.environ.get("FD_PRIVSEP_CONF")
        self.root = os.path.join(s.tmp, "inst")
        self.bin = os.path.join(self.root, "bin", "frontdoor")
        self.sysdir = os.path.join(self.root, "var")
        self.db = os.path.join(self.sysdir, "frontdoor")
        self.home = os.path.join(self.root, "home")

    def setup(self):
        s = self.s
        src = os.environ.get("FD_PRIVSEP_BIN")
        if not src or not self.conf:
            s.skip("FD_PRIVSEP_BIN and FD_PRIVSEP_CONF are set by meson test")
        r = subprocess.run(["groupadd", self.group], capture_output=True, text=True)
        if r.returncode != 0:
            s.skip("cannot create a group: " + r.stderr.strip())
        self.made_group = True
        for name in list(self.users.values()) + [self.nobody]:
            r = subprocess.run(["useradd", "-M", "-N", "-s", "/bin/sh", name],
                               capture_output=True, text=True)
            if r.returncode != 0:
                s.skip("cannot create users: " + r.stderr.strip())
            self.made_users.append(name)
        os.chmod(s.tmp, 0o755)
        for d in (self.root, os.path.dirname(self.bin), self.sysdir, self.home):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o755)
        for name in self.made_users:
            h = os.path.join(self.home, name)
            os.mkdir(h, 0o700)
            os.chown(h, pwd.getpwnam(name).pw_uid, pwd.getpwnam(name).pw_gid)
        shutil.copy(src, self.bin)
        os.chown(self.bin, 0, grp.getgrnam(self.group).gr_gid)
        os.chmod(self.bin, 0o2755)
        self.write_conf("# the system database for privsep.py\ndatabase = %s\n" % self.db)
        r = self.run_as("root", "init", "--rules", rel.POLICY)
        if r.returncode != 0:
            raise SystemExit("root cannot create the system database: " + r.stderr)
        # root is the admin; the users get their roles
        for role, name in self.users.items():
            r = self.run_as("root", "users", "add", name, role.rstrip("2"))
            if r.returncode != 0:
                raise SystemExit("cannot add %s: %s" % (name, r.stderr))

    def write_conf(self, text, mode=0o644, owner=0):
        with open(self.conf, "w") as f:
            f.write(text)
        os.chmod(self.conf, mode)
        os.chown(self.conf, owner, -1)

    def cleanup(self):
        for name in self.made_users:
            subprocess.run(["userdel", name], capture_output=True)
        if self.made_group:
            subprocess.run(["groupdel", self.group], capture_output=True)
        if self.conf and os.path.exists(self.conf):
            os.unlink(self.conf)

    def gid(self):
        return grp.getgrnam(self.group).gr_gid

    def env(self, user, extra=None):
        home = "/root" if user == "root" else os.path.join(self.home, user)
        e = self.s.env({"HOME": home, "XDG_DATA_HOME": os.path.join(home, "xdg")})
        e.pop("TMPDIR", None)
        if extra:
            e.update(extra)
        return e

    def run_as(self, user, *argv, input=None, env=None, prog=None):
        """Runs the setgid frontdoor (or prog) as the real user (root: plainly)."""
        cmd = prog or [self.bin]
        if user != "root":
            cmd = ["runuser", "-u", user, "--"] + cmd
        r = subprocess.run(cmd + list(argv), input=input, capture_output=True, text=True,
                           env=self.env(user, env), cwd="/", timeout=120)
        return r

    def sh(self, user, script):
        return self.run_as(user, "-c", script, prog=["sh"])


def readable_copy(s, inst, src, name):
    """A copy of src every test user can read."""
    dst = os.path.join(inst.root, name)
    shutil.copy(src, dst)
    os.chmod(dst, 0o644)
    return dst


def check_directory_closed(s, inst):
    """A practitioner (with a role) cannot touch anything in the database directory."""
    off = inst.users["officer"]
    data, lock = os.path.join(inst.db, "data.mdb"), os.path.join(inst.db, "lock.mdb")
    wlock = os.path.join(inst.db, "writer.lock")
    mine = os.path.join(inst.home, off)
    attempts = [
        ("list the directory", "ls %s" % inst.db),
        ("read data.mdb", "cat %s" % data),
        ("read the log's signing key", "cat %s/checkpoint.key" % inst.db),
        ("grep data.mdb for a name", "grep -a root %s" % data),
        ("open data.mdb for writing", ": >> %s" % data),
        ("open lock.mdb for writing", ": >> %s" % lock),
        ("open writer.lock for writing", ": >> %s" % wlock),
        ("create a file there", ": > %s/x" % inst.db),
        ("hard-link data.mdb", "ln %s %s/data.mdb" % (data, mine)),
        ("rename lock.mdb", "mv %s %s/moved" % (lock, inst.db)),
        ("replace lock.mdb with a symlink", "ln -sf /etc/shadow %s" % lock),
        ("replace writer.lock with a symlink", "ln -sf /etc/shadow %s" % wlock),
        ("remove data.mdb", "rm -f %s" % data),
        ("change its mode", "chmod 0666 %s" % data),
    ]
    before = os.stat(data)
    for what, script in attempts:
        r = inst.sh(off, script)
        s.check(r.returncode != 0, "a practitioner cannot %s" % what,
                "exit %d: %s" % (r.returncode, r.stdout[-200:]))
    after = os.stat(data)
    # init made the two LMDB files, the writer lock and the log's checkpoint signing key
    s.check(sorted(os.listdir(inst.db)) ==
            ["checkpoint.key", "data.mdb", "lock.mdb", "writer.lock"] and
            not os.path.islink(lock) and not os.path.islink(wlock) and
            after.st_ino == before.st_ino and
            stat.S_IMODE(after.st_mode) == 0o660,
            "the directory holds the same four files, unchanged", str(os.listdir(inst.db)))
    st = os.stat(inst.db)
    s.check(stat.S_IMODE(st.st_mode) == 0o2770 and st.st_uid == 0 and st.st_gid == inst.gid(),
            "init made the system directory root:%s 2770" % inst.group,
            "%04o %d:%d" % (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid))
    for f in ("data.mdb", "lock.mdb", "writer.lock"):
        st = os.lstat(os.path.join(inst.db, f))
        s.check(stat.S_IMODE(st.st_mode) == 0o660 and st.st_gid == inst.gid(),
                "%s is 0660 in group %s" % (f, inst.group))
    # through the setgid binary the same practitioner works, as the real uid
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 0, "the officer reads the log through the setgid binary", r.stderr)
    r = inst.run_as(inst.nobody, "log", "--last", "1")
    s.check(r.returncode == 1 and "has no role" in r.stderr,
            "a user with no role is refused by name", r.stderr)


def check_matrix(s, inst, policy):
    """roles.py's matrix, every attempt made by a real user through the setgid binary."""
    def fd(*argv, as_user=None, input=None):
        return inst.run_as(as_user or "root", *argv, input=input)

    roles.run_matrix(s, fd, inst.users, inst.nobody, policy, 1)
    r = inst.run_as(inst.users["auditor"], "verify", "--quiet")
    s.check(r.returncode == 0 and "chain intact" in r.stdout,
            "verify after the matrix, as the auditor", r.stderr)


def expect_refused(s, inst, what, needle):
    r = inst.run_as(inst.users["auditor"], "verify", "--quiet")
    s.check(r.returncode == 1 and needle in r.stderr, what, "exit %d: %s" % (r.returncode,
                                                                           r.stderr[-300:]))
    return r


def refuse_link_and_fifo(s, inst, name, victim, also=None):
    """The database's file name replaced by a symlink to victim, then by a FIFO: refused."""
    path = os.path.join(inst.db, name)
    saved = os.path.join(inst.root, name + ".saved")
    os.rename(path, saved)
    os.symlink(victim, path)
    expect_refused(s, inst, "a symlinked %s is refused" % name, "symbolic link")
    if also is not None:
        also()
    with open(victim) as f:
        s.check(f.read() == "a file the attacker wants truncated\n",
                "the target of %s's symlink is untouched" % name)
    os.unlink(path)
    os.mkfifo(path, 0o660)
    expect_refused(s, inst, "a %s that is a FIFO is refused" % name, "not a regular file")
    os.unlink(path)
    os.rename(saved, path)


def check_files_refused(s, inst):
    """Symlinks, other file types, ACLs and a practitioner-owned directory are refused."""
    data = os.path.join(inst.db, "data.mdb")
    victim = os.path.join(inst.root, "victim")
    with open(victim, "w") as f:
        f.write("a file the attacker wants truncated\n")

    def root_refused():
        r = inst.run_as("root", "users", "list")
        s.check(r.returncode == 1 and "symbolic link" in r.stderr,
                "root too is refused a symlinked lock.mdb", r.stderr)

    refuse_link_and_fifo(s, inst, "lock.mdb", victim, root_refused)
    refuse_link_and_fifo(s, inst, "writer.lock", victim)
    saved = os.path.join(inst.root, "data.saved")
    os.rename(data, saved)
    os.symlink(saved, data)
    expect_refused(s, inst, "a symlinked data.mdb is refused", "symbolic link")
    os.unlink(data)
    os.link(saved, data)
    expect_refused(s, inst, "a data.mdb with a second name is refused", "more than one name")
    os.unlink(saved)

    setfacl = shutil.which("setfacl")
    s.check(setfacl is not None, "setfacl is installed (.ci/setup installs acl)")
    if setfacl:
        off = inst.users["officer"]
        for target, spec, what in ((data, "u:%s:r" % off, "a named user's read on data.mdb"),
                                   (inst.db, "g:users:x", "a named group's search on the "
                                    "directory"),
                                   (inst.db, "d:u:%s:rw" % off, "a default ACL on the "
                                    "directory")):
            r = subprocess.run([setfacl, "-m", spec, target], capture_output=True, text=True)
            if r.returncode != 0:
                s.check(False, "setfacl -m %s works here" % spec, r.stderr)
                continue
            expect_refused(s, inst, "an ACL granting %s is refused" % what, "ACL")
            subprocess.run([setfacl, "-b", target], check=True)
        # a named entry with no permissions grants nothing: nothing refused
        subprocess.run([setfacl, "-m", "u:%s:---" % off, data], check=True)
        r = inst.run_as(inst.users["auditor"], "verify", "--quiet")
        s.check(r.returncode == 0, "an ACL entry that grants nothing is accepted", r.stderr)
        subprocess.run([setfacl, "-b", data], check=True)
        os.chmod(data, 0o660)

    # the directory's owner could change its modes: a practitioner must not own it
    off = inst.users["officer"]
    os.chown(inst.db, pwd.getpwnam(off).pw_uid, -1)
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 1 and "belongs to you" in r.stderr,
            "a system directory owned by the practitioner running is refused", r.stderr)
    os.chown(inst.db, 0, -1)
    # a lock.mdb would be made again as the practitioner's: only root does that
    os.unlink(os.path.join(inst.db, "lock.mdb"))
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 1 and "lock.mdb is missing" in r.stderr,
            "a practitioner does not make a missing lock.mdb", r.stderr)
    r = inst.run_as("root", "checkpoint")
    st = os.lstat(os.path.join(inst.db, "lock.mdb"))
    s.check(r.returncode == 0 and st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o660,
            "root makes it again, 0660 and root's", r.stderr)
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 0, "and the officer reads again", r.stderr)
    # so would a writer.lock: only root makes it again
    os.unlink(os.path.join(inst.db, "writer.lock"))
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 1 and "writer.lock is missing" in r.stderr,
            "a practitioner does not make a missing writer.lock", r.stderr)
    r = inst.run_as("root", "checkpoint")
    st = os.lstat(os.path.join(inst.db, "writer.lock"))
    s.check(r.returncode == 0 and st.st_uid == 0 and stat.S_IMODE(st.st_mode) == 0o660 and
            st.st_gid == inst.gid(), "root makes it again, 0660, root's, in the group", r.stderr)
    r = inst.run_as(off, "log", "--last", "1")
    s.check(r.returncode == 0, "and the officer opens the database again", r.stderr)


def check_signing_key(s, inst):
    """The log's signing key: 0640 in the closed directory; roles sign with it, no one reads it."""
    off, aud, adm = inst.users["officer"], inst.users["auditor"], inst.users["admin"]
    key = os.path.join(inst.db, "checkpoint.key")
    st = os.stat(key)
    s.check(stat.S_IMODE(st.st_mode) == 0o640 and st.st_uid == 0 and st.st_gid == inst.gid(),
            "checkpoint.key is root's, 0640, in group %s" % inst.group,
            "%04o %d:%d" % (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid))
    with open(key) as f:
        # PRIVATE+KEY+name+hash+key: the key is base64, which may itself hold a "+"
        secret = f.read().strip().split("+", 4)[-1]
    for i in (1, 2):
        r = inst.run_as(off, "decide", input=rel.case_line("PS-K%d" % i) + "\n")
        s.check(r.returncode == 0, "the officer decides a case to prove", r.stderr)
    outputs = []
    # an admin signs a checkpoint through the setgid binary: the group reads the key for it
    r = inst.run_as(adm, "checkpoint", "--signed")
    outputs.append(r)
    lines = r.stdout.split("\n")
    size = int(lines[1]) if r.returncode == 0 and len(lines) > 2 and lines[1].isdigit() else 0
    s.check(r.returncode == 0 and size >= 3 and "\u2014 " in r.stdout,
            "an admin signs a checkpoint with the key it cannot read", r.stderr)
    cp = os.path.join(inst.root, "checkpoint.txt")
    with open(cp, "w") as f:
        f.write(r.stdout)
    os.chmod(cp, 0o644)
    r = inst.run_as(adm, "prove", "--from", "1", "--checkpoint", cp)
    outputs.append(r)
    s.check(r.returncode == 0, "and proves the log only grew since size 1", r.stderr)
    r = inst.run_as(adm, "prove", "--from", "2")
    outputs.append(r)
    s.check(r.returncode == 0, "and proves it against a checkpoint signed there and then",
            r.stderr)
    r = inst.run_as(aud, "prove", "1")
    outputs.append(r)
    proof = os.path.join(inst.root, "inclusion.txt")
    with open(proof, "w") as f:
        f.write(r.stdout)
    os.chmod(proof, 0o644)
    s.check(r.returncode == 0, "an auditor proves record 1 is in the log", r.stderr)
    r = inst.run_as(adm, "checkpoint", "--vkey")
    outputs.append(r)
    vkey = r.stdout.strip()
    r = inst.run_as(inst.nobody, "check-proof", "--vkey", vkey, proof)
    outputs.append(r)
    s.check(r.returncode == 0 and r.stdout.startswith("proven: record 1 "),
            "an outsider with the public key alone checks that proof", r.stderr + r.stdout)
    # the practitioner: no signing, and the key unreadable by any road through the binary
    r = inst.run_as(off, "checkpoint", "--signed")
    outputs.append(r)
    s.check(r.returncode == 1 and r.stdout == "", "an officer cannot sign a checkpoint",
            r.stderr)
    for argv, what in ((["check-proof", "--vkey", key, proof], "as check-proof's key"),
                       (["witness", "--dir", inst.db, "vkey"], "as a witness's directory"),
                       (["decide", key], "as a case file"),
                       (["rules", "check", key], "as a rule file")):
        r = inst.run_as(off, *argv)
        outputs.append(r)
        s.check(r.returncode != 0, "an officer cannot have the binary read the key %s" % what,
                r.stdout[-200:])
    s.check(all(secret not in r.stdout + r.stderr for r in outputs),
            "no output holds the private key")


def check_init(s, inst, policy):
    """Only root creates the system database, and never in a pre-created directory."""
    off = inst.users["officer"]
    r = inst.run_as(off, "init", "--rules", policy)
    s.check(r.returncode == 1 and "only root creates" in r.stderr,
            "a practitioner cannot init the system database", r.stderr)
    shared = os.path.join(inst.root, "shared")
    os.mkdir(shared)
    os.chmod(shared, 0o1777)
    planted = os.path.join(shared, "frontdoor")
    r = inst.sh(off, "mkdir -m 0777 %s" % planted)
    inst.write_conf("database = %s\n" % planted)
    try:
        r = inst.run_as("root", "init", "--rules", policy)
        s.check(r.returncode == 1 and "belongs to another user" in r.stderr and
                os.listdir(planted) == [],
                "root's init refuses a directory a practitioner pre-created", r.stderr)
        r = inst.run_as(off, "init", "--rules", policy)
        s.check(r.returncode == 1 and os.listdir(planted) == [],
                "and so does the practitioner's", r.stderr)
        # the settings file must be root's and writable by no one else
        inst.write_conf("database = %s\n" % planted, mode=0o664)
        r = inst.run_as(off, "log")
        s.check(r.returncode == 1 and "refusing to use it" in r.stderr,
                "a group-writable settings file is refused", r.stderr)
        inst.write_conf("database = %s\n" % planted, owner=pwd.getpwnam(off).pw_uid)
        r = inst.run_as(off, "log")
        s.check(r.returncode == 1 and "refusing to use it" in r.stderr,
                "a settings file a practitioner owns is refused", r.stderr)
        inst.write_conf("databse = %s\n" % inst.db)
        r = inst.run_as(off, "log")
        s.check(r.returncode == 1 and "unknown setting" in r.stderr,
                "a misspelt setting is an error, not a silent default", r.stderr)
    finally:
        inst.write_conf("database = %s\n" % inst.db)


def check_own_databases(s, inst, policy):
    """--db and $FRONTDOOR_DB elsewhere give up the group for good."""
    off = inst.users["officer"]
    home = os.path.join(inst.home, off)
    ugid = pwd.getpwnam(off).pw_gid
    mine = os.path.join(home, "scratch")
    r = inst.run_as(off, "--db", mine, "init", "--rules", policy)
    st = os.stat(os.path.join(mine, "data.mdb")) if r.returncode == 0 else None
    s.check(st is not None and st.st_gid == ugid and os.stat(mine).st_gid == ugid,
            "init --db elsewhere makes the person's own database, in the person's group",
            r.stderr)
    r = inst.run_as(off, "--db", mine, "users", "list")
    s.check(r.returncode == 0 and off in r.stdout, "and the person is its admin", r.stderr)
    env_db = os.path.join(home, "envdb")
    r = inst.run_as(off, "init", "--rules", policy, env={"FRONTDOOR_DB": env_db})
    s.check(r.returncode == 0 and os.stat(env_db).st_gid == ugid,
            "$FRONTDOOR_DB elsewhere: the person's own database too", r.stderr)
    # a database of one's own that points into the system one gets nothing from the group
    evil = os.path.join(home, "evil")
    r = inst.sh(off, "mkdir -m 0770 %s && ln -s %s/data.mdb %s/data.mdb && "
                "ln -s %s/lock.mdb %s/lock.mdb" % (evil, inst.db, evil, inst.db, evil))
    r = inst.run_as(off, "--db", evil, "log")
    s.check(r.returncode == 1 and "symbolic link" in r.stderr,
            "--db to a directory of symlinks into the system database is refused", r.stderr)
    os.unlink(os.path.join(evil, "data.mdb"))
    r = inst.run_as(off, "--db", evil, "log")
    s.check(r.returncode == 1 and "grep" not in r.stdout and r.stdout == "",
            "and without the group the files behind them cannot be opened", r.stderr)
    # the system database by another name keeps the group
    alias = os.path.join(home, "alias")
    inst.sh(off, "ln -s %s %s" % (inst.db, alias))
    r = inst.run_as(off, "--db", alias, "log", "--last", "1")
    s.check(r.returncode == 0, "--db naming the system database by another path keeps the "
            "group", r.stderr)
    r = inst.run_as(off, "log", "--last", "1", env={"FRONTDOOR_DB": inst.db})
    s.check(r.returncode == 0, "and so does $FRONTDOOR_DB naming it", r.stderr)
    r = inst.run_as(off, "log", "--last", "1", env={"XDG_DATA_HOME": os.path.join(home, "x")})
    s.check(r.returncode == 0, "$XDG_DATA_HOME does not move the system database", r.stderr)


def check_user_files(s, inst, policy):
    """What a person names is opened with the person's rights, not the group's."""
    off, aud, adm = inst.users["officer"], inst.users["auditor"], inst.users["admin"]
    gid = inst.gid()
    case = os.path.join(inst.root, "group-only-case.json")
    with open(case, "w") as f:
        f.write(rel.case_line("PS-1") + "\n")
    rules = os.path.join(inst.root, "group-only-rules.yaml")
    shutil.copy(policy, rules)
    text = os.path.join(inst.root, "group-only-rationale.txt")
    with open(text, "w") as f:
        f.write("A rationale only the database's group may read\n")
    for p in (case, rules, text):
        os.chown(p, 0, gid)
        os.chmod(p, 0o640)
    for user, argv, what in ((off, ["decide", case], "a case file"),
                             (off, ["route", "--rules", policy, case], "a case file to route"),
                             (aud, ["whatif", "--rules", rules], "a what-if candidate"),
                             (adm, ["rules", "publish", rules], "a rule file to publish"),
                             (off, ["rules", "check", rules], "a rule file to check"),
                             (off, ["correct", "1", "--rationale-file", text],
                              "a rationale file"),
                             (off, ["decide", "--feedback-file", text], "a feedback file"),
                             (inst.users["early_help"], ["outcome", "PS-1", "needs_met",
                              "--note-file", text], "a note file"),
                             (inst.users["manager"], ["sign-off", "1", "--return",
                              "--comment-file", text], "a comment file"),
                             (off, ["step-up", "PS-1", "--urgency", "amber", "--rationale-file",
                              os.path.join(inst.db, "checkpoint.key")],
                              "a rationale file in the database directory, the log's key,"),
                             (off, ["correct", "1", "--rationale-file",
                              os.path.join(inst.db, "data.mdb")],
                              "a rationale file in the database directory, data.mdb,")):
        r = inst.run_as(user, *argv)
        s.check(r.returncode != 0 and "Permission denied" in r.stderr,
                "%s only the group can read is refused" % what,
                "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    r = inst.run_as(off, "decide", input=rel.case_line("PS-2") + "\n")
    s.check(r.returncode == 0, "the same person decides a case given on stdin", r.stderr)


def check_refused_before_lock(s, inst, policy):
    """A person whose role does not allow a write is refused before the write takes the
    writer lock: a refused process that its person stops (SIGSTOP) would otherwise hold the
    lock for as long as they like, and every writer would wait and give up. Root holds the
    lock here, so a refusal that came only after it would wait, and end as 'busy'."""
    import fcntl
    off, nobody = inst.users["officer"], inst.nobody
    text = os.path.join(inst.root, "refused-rationale.txt")
    with open(text, "w") as f:
        f.write("A rationale long enough to be taken as one\n")
    os.chmod(text, 0o644)
    attempts = [
        (nobody, ["decide", "-"], "decide"),
        (nobody, ["route", "--record", "-"], "route --record"),
        (nobody, ["outcome", "PS-2", "needs_met"], "outcome"),
        (nobody, ["step-up", "PS-2", "--urgency", "red", "--rationale-file", text], "step-up"),
        (nobody, ["step-down", "PS-2", "--rationale-file", text], "step-down"),
        (nobody, ["sign-off", "1", "--approve"], "sign-off"),
        (nobody, ["correct", "1", "--rationale-file", text], "correct"),
        (nobody, ["users", "add", nobody, "admin"], "users add"),
        (nobody, ["users", "remove", off], "users remove"),
        (nobody, ["rules", "publish", policy], "rules publish"),
        (nobody, ["checkpoint"], "checkpoint"),
        (off, ["checkpoint"], "checkpoint (an officer)"),
        (off, ["users", "add", off, "admin"], "users add (an officer)"),
    ]
    fd = os.open(os.path.join(inst.db, "writer.lock"), os.O_RDWR | os.O_NOFOLLOW)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        for user, argv, what in attempts:
            r = inst.run_as(user, *argv, input=rel.case_line("PS-9") + "\n")
            s.check(r.returncode == 1 and "refused:" in r.stderr and
                    "waiting for the database" not in r.stderr,
                    "%s is refused without waiting for the writer lock" % what,
                    "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    finally:
        os.close(fd)
    r = inst.run_as(off, "decide", input=rel.case_line("PS-10") + "\n")
    s.check(r.returncode == 0, "with the lock free the officer decides again", r.stderr)


def main():
    s = rel.Suite("privsep", __doc__)
    s.parse()
    s.need_root("it creates users, a group and a setgid binary")
    if shutil.which("runuser") is None or shutil.which("useradd") is None:
        s.skip("runuser and useradd are needed")
    inst = Install(s)
    try:
        inst.setup()
        policy = readable_copy(s, inst, rel.POLICY, "policy.yaml")
        check_directory_closed(s, inst)
        check_user_files(s, inst, policy)
        check_refused_before_lock(s, inst, policy)
        check_signing_key(s, inst)
        check_init(s, inst, policy)
        check_own_databases(s, inst, policy)
        check_matrix(s, inst, policy)
        check_files_refused(s, inst)
    finally:
        inst.cleanup()
    s.finish()


if __name__ == "__main__":
    main()
