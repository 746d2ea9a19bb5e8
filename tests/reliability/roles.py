#!/usr/bin/env python3
"""roles.py: the role matrix. Every role (officer, early_help, manager, auditor, admin)
tries every command and action: route --record, decide, outcome, step-up, step-down,
sign-off, correct, log, verify, whatif, stats, checkpoint, users add/remove/list, rules
publish/history/get. Exactly the ones the specification allows succeed (the table is written
out again in rel.py, independent of src/roles.c); every refusal says "refused" and names
the roles needed; no unauthorised action succeeds; after a refusal the log, the users and
the publications are unchanged. A user with no role is refused everything too.
CI runs the matrix once; --long runs it 5 times over."""

import os
import re
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

USERS = {"officer": "off", "early_help": "eh", "manager": "mgr", "auditor": "aud",
         "admin": "adm", "officer2": "off2", "manager2": "mgr2"}
ACTION_TEXT = {
    "route": "record a routing decision", "outcome": "record an outcome",
    "step": "step a case up or down", "sign_off": "sign off decisions",
    "correct": "record a correction", "read_cases": "read case histories",
    "audit": "audit the log", "checkpoint": "record a checkpoint", "users": "manage users",
    "publish": "publish rule sets", "rules_history": "list published rule sets",
}
RATIONALE = "Reviewed the contact with the team; reasons recorded in full"
# command -> (action it needs, whether success appends one log record)
COMMANDS = [
    ("route --record", "route", True), ("decide", "route", True),
    ("outcome", "outcome", True), ("step-up", "step", True), ("step-down", "step", True),
    ("sign-off", "sign_off", True), ("correct", "correct", True),
    ("log", "read_cases", False), ("verify", "audit", False), ("whatif", "audit", False),
    ("stats", "audit", False), ("checkpoint", "checkpoint", False),
    ("users add", "users", False), ("users remove", "users", False),
    ("users list", "users", False), ("rules publish", "publish", False),
    ("rules history", "rules_history", False), ("rules get", "rules_history", False),
]


def needed(action):
    roles = [r for r in rel.ROLES if r in rel.ALLOWED[action]]
    return roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " or " + roles[-1]


def main():
    s = rel.Suite("roles", __doc__)
    s.parse()
    s.need_root()
    db = s.new_db(users=[(u, r.rstrip("2")) for r, u in USERS.items()])

    def fd(*argv, as_user=None, input=None):
        return s.fd(*argv, db=db, as_user=as_user, input=input)

    run_matrix(s, fd, USERS, "nobody", rel.POLICY, 5 if s.long else 1)
    ok, out = s.verify(db)
    s.check(ok, "verify after the matrix", out[-300:])
    s.finish()


def run_matrix(s, fd, users, nobody, policy, reps):
    """Every role in users (role -> user name, and users["officer2"], ["manager2"] as a second
    officer and manager), and nobody (a user with no role), tries every command; fd(*argv,
    as_user=NAME) runs frontdoor on the database under test as NAME (None: its admin, root).
    policy is a rule file every user can read."""
    fixture = rel.load_cases()
    n = [0]
    def fresh_case(universal=True):
        """A case line never seen before (a universal one, so it can be stepped up)."""
        while True:
            n[0] += 1
            line = fixture[n[0] % len(fixture)]
            if not universal or '"indicators":[]' in line or all(
                    "l1_" in i for i in re.findall(r'"((?:dev|par|fam)\.l\d_\d\d)"', line)):
                cid = "R-%05d" % n[0]
                return cid, rel.with_case_id(line, cid)

    def write(cid, line):
        path = os.path.join(s.tmp, cid + ".json")
        with open(path, "w") as f:
            f.write(line + "\n")
        return path

    def decided(by=None, override=None):
        cid, line = fresh_case()
        argv = ["decide", write(cid, line)]
        if override:
            argv += ["--override", override, "--rationale", RATIONALE]
        r = fd(*argv, as_user=by or users["officer2"])
        m = re.search(r"recorded seq (\d+)", r.stdout)
        if r.returncode != 0 or not m:
            raise SystemExit("setup failed: %s %s" % (r.stdout, r.stderr))
        return cid, int(m.group(1))

    def head():
        r = fd("log", "--last", "1", as_user=users["auditor"])
        m = re.search(r'"seq":(\d+)', r.stdout)
        return int(m.group(1)) if m else 0

    def state():
        listed = fd("users", "list").stdout
        pubs = fd("rules", "history").stdout
        return head(), listed, pubs

    def prepare(cmd, tag):
        """The argv of one attempt, with whatever it needs set up first."""
        if cmd == "route --record":
            cid, line = fresh_case()
            return ["route", "--record", write(cid, line)]
        if cmd == "decide":
            cid, line = fresh_case()
            return ["decide", write(cid, line)]
        if cmd == "outcome":
            cid, _ = decided()
            return ["outcome", cid, "needs_met", "--note", "Family engaged with the school"]
        if cmd == "step-up":
            cid, _ = decided()
            return ["step-up", cid, "--urgency", "amber", "--rationale", RATIONALE]
        if cmd == "step-down":
            cid, _ = decided(override="mash")
            return ["step-down", cid, "--rationale", RATIONALE]
        if cmd == "sign-off":
            _, seq = decided(override="mash")
            return ["sign-off", str(seq), "--approve"]
        if cmd == "correct":
            _, seq = decided()
            return ["correct", str(seq), "--rationale", RATIONALE, "--route", "early_help_unit"]
        if cmd == "log":
            return ["log", "--last", "5"]
        if cmd == "verify":
            return ["verify", "--quiet"]
        if cmd == "whatif":
            return ["whatif", "--rules", policy]
        if cmd == "stats":
            return ["stats"]
        if cmd == "checkpoint":
            return ["checkpoint"]
        if cmd == "users add":
            return ["users", "add", "new" + tag, "officer"]
        if cmd == "users remove":
            victim = "victim" + tag
            fd("users", "add", victim, "auditor")
            return ["users", "remove", victim]
        if cmd == "users list":
            return ["users", "list"]
        if cmd == "rules publish":
            return ["rules", "publish", policy]
        if cmd == "rules history":
            return ["rules", "history"]
        if cmd == "rules get":
            pubs = fd("rules", "history").stdout
            return ["rules", "get", re.findall(r"sha256:[0-9a-f]{64}", pubs)[-1]]
        raise KeyError(cmd)

    granted = refused = wrong = 0
    matrix = {}
    for rep in range(reps):
        for role in rel.ROLES + ["none"]:
            user = users.get(role, nobody)
            for cmd, action, appends in COMMANDS:
                tag = "%d%s%s" % (rep, role[:3], cmd.replace(" ", "")[:6])
                argv = prepare(cmd, re.sub(r"[^a-z0-9]", "", tag))
                before = state()
                r = fd(*argv, as_user=user)
                after = state()
                allowed = role in rel.ALLOWED[action]
                what = "%s as %s" % (cmd, role)
                matrix[(role, cmd)] = "yes" if r.returncode == 0 else "no"
                if allowed:
                    granted += r.returncode == 0
                    ok = s.check(r.returncode == 0, what + ": allowed and succeeds",
                                 "exit %d: %s" % (r.returncode, r.stderr[-300:]))
                    if ok and appends:
                        s.check(after[0] == before[0] + 1, what + ": one record appended",
                                "%d -> %d" % (before[0], after[0]))
                else:
                    refused += r.returncode != 0
                    if r.returncode == 0:
                        wrong += 1
                    s.check(r.returncode == 1, what + ": refused (exit 1)",
                            "exit %d: %s" % (r.returncode, r.stdout[-200:]))
                    want = "refused: to %s you need the %s role" % (ACTION_TEXT[action],
                                                                     needed(action))
                    s.check(want in r.stderr, what + ": the refusal names the roles needed",
                            "wanted %r in %r" % (want, r.stderr[-300:]))
                    s.check(after == before, what + ": nothing changed after the refusal",
                            "log %d -> %d" % (before[0], after[0]))
                    s.check(r.stdout.strip() == "" or cmd in ("log",), what +
                            ": no output on refusal", r.stdout[-200:])
    # the matrix as a table
    cmds = [c for c, _, _ in COMMANDS]
    s.log("%-16s %s" % ("", " ".join("%-10s" % r[:10] for r in rel.ROLES + ["none"])))
    for c in cmds:
        s.log("%-16s %s" % (c, " ".join("%-10s" % matrix[(r, c)] for r in rel.ROLES + ["none"])))
    total = len(cmds) * (len(rel.ROLES) + 1) * reps
    s.log("%d attempts: %d allowed and done, %d refused, %d unauthorised actions succeeded"
          % (total, granted, refused, wrong))


if __name__ == "__main__":
    main()
