#!/usr/bin/env python3
"""pseudonyms.py: pseudonymised exports can be neither reversed nor linked.
A log is written in which every record's content (kind, route, rule, coded facts, outcome)
is shared by at least one other record, so that only what is computed over identifiers
or order could single a record out. It is exported under two keys, as JSON Lines and CSV.
Reversing: no pseudonym is the plain or keyed hash of a real case id under any guessed
key (no key, common words, the other export's key), and no real id appears; nor does a user
name, as grants and publications are left out (they name staff, not children). Linking:
joining the two exports on every column and on every combination of columns finds no
row that matches exactly one row of the other export. Within one export a case keeps its
pseudonym and a sign-off names the keyed id of the record it signs off; rows are in
keyed order, not the log's."""

import hashlib
import hmac
import itertools
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rel  # noqa: E402

KEY1 = "first-export-key-0123456789"
KEY2 = "second-export-key-9876543210"
RATIONALE = "Reviewed with the team: the family asked for this route"
CONTENTS = [("given", ()), ("given", ("dev.l2_15",)), ("refused", ("dev.l2_15",)),
            ("given", ("dev.l2_15", "par.l2_01")), ("not_sought", ())]


def export(s, db, key, fmt):
    r = s.fd("log", "--pseudonymise", key, "--format", fmt, db=db, as_user="aud")
    if r.returncode != 0:
        raise SystemExit("export failed: " + r.stderr)
    if fmt == "jsonl":
        return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    lines = r.stdout.splitlines()
    head = lines[0].split(",")
    return [dict(zip(head, l.split(","))) for l in lines[1:]]


def flat(row):
    return {k: json.dumps(v, sort_keys=True) for k, v in row.items()}


def unique_links(a, b, cols):
    """Rows of a whose values on cols match exactly one row of b, and it only them."""
    def index(rows):
        d = {}
        for r in rows:
            d.setdefault(tuple(r.get(c) for c in cols), []).append(r)
        return d
    ia, ib = index(a), index(b)
    return sum(1 for k, v in ia.items() if len(v) == 1 and len(ib.get(k, ())) == 1)


def guesses(case_id, other_key):
    """What an attacker without the key (but with other_key) would try for a pseudonym."""
    b = case_id.encode()
    out = {hashlib.sha256(b).hexdigest(), hashlib.sha256(b"case\0" + b).hexdigest(),
           hashlib.md5(b).hexdigest(), hashlib.sha1(b).hexdigest()}
    for key in ("", "frontdoor", "secret", "password", "key", other_key):
        for msg in (b, b"case\0" + b):
            out.add(hmac.new(key.encode(), msg, hashlib.sha256).hexdigest())
    return out


def main():
    s = rel.Suite("pseudonyms", __doc__)
    s.parse()
    s.need_root()
    db = s.new_db(users=[("off", "officer"), ("off2", "officer"), ("mgr", "manager"),
                         ("aud", "auditor")])
    ids, lines = [], []
    for i, (consent, ind) in enumerate(CONTENTS):
        for twin in range(2):
            cid = "C-%04d" % (10 * i + twin + 1)
            ids.append(cid)
            lines.append(rel.case_line(cid, consent=consent, indicators=ind))
    r = s.fd("route", "--record", db=db, as_user="off", input="\n".join(lines) + "\n")
    s.check(r.returncode == 0, "the cases are recorded", r.stderr)
    # two overrides by one officer, each signed off by the same manager: again in pairs
    over = []
    for cid in ("O-1", "O-2"):
        ids.append(cid)
        path = os.path.join(s.tmp, cid + ".json")
        with open(path, "w") as f:
            f.write(rel.case_line(cid, indicators=()) + "\n")
        r = s.fd("decide", "--override", "mash", "--rationale", RATIONALE, path, db=db,
                 as_user="off2")
        s.check(r.returncode == 0, "override %s recorded" % cid, r.stderr)
        over.append(r.stdout.split()[2].rstrip(":"))
    for seq in over:
        r = s.fd("sign-off", seq, "--approve", db=db, as_user="mgr")
        s.check(r.returncode == 0, "sign-off of %s" % seq, r.stderr)
    n = len(ids) + 2

    for fmt in ("jsonl", "csv"):
        a, b = export(s, db, KEY1, fmt), export(s, db, KEY2, fmt)
        s.check(len(a) == n and len(b) == n, "%s: every record in both exports" % fmt)
        s.check(a == export(s, db, KEY1, fmt), "%s: one key gives the same export" % fmt)
        cols = sorted(a[0].keys())
        s.check(not set(cols) & {"seq", "time", "hash", "prev", "rationale", "detail"},
                "%s: no sequence number, exact time, hash or free text: %s" % (fmt, cols))
        text = json.dumps(a) + json.dumps(b)
        s.check(not any(cid in text for cid in ids), "%s: no real case id" % fmt)
        # grants name staff: a pseudonymised export holds decisions only, and no user name
        s.check(not any(r["kind"] in ("publish", "grant", "revoke") for r in a + b),
                "%s: no publication, grant or removal" % fmt)
        s.check(not any(u in text for u in ("off2", "mgr", "aud", "root")),
                "%s: no user name" % fmt)
        s.check([r["id"] for r in a] == sorted(r["id"] for r in a),
                "%s: rows in keyed order" % fmt)
        # reversing: a pseudonym is no hash of the id that can be made without the key
        for rows, other in ((a, KEY2), (b, KEY1)):
            pseud = {r["case_id"].split(":", 1)[1] for r in rows}
            tried = set()
            for cid in ids + ["C-%04d" % k for k in range(10000)]:
                tried |= guesses(cid, other)
            s.check(not pseud & tried, "%s: a dictionary of %d guesses finds no pseudonym" %
                    (fmt, len(tried)))
        # linking: every column and every combination of columns
        fa, fb = [flat(r) for r in a], [flat(r) for r in b]
        found, combos = [], 0
        for k in range(1, len(cols) + 1):
            for c in itertools.combinations(cols, k):
                combos += 1
                if unique_links(fa, fb, c):
                    found.append(c)
        s.check(not found, "%s: %d combinations of columns link no row of one export to "
                "one of the other" % (fmt, combos), "linked by %s" % (found[:3],))
        s.check(not {r["id"] for r in a} & {r["id"] for r in b},
                "%s: record ids differ between keys" % fmt)
        s.check(not {r["case_id"] for r in a} & {r["case_id"] for r in b},
                "%s: case pseudonyms differ between keys" % fmt)
        # within one export: a case keeps its pseudonym, a sign-off names its decision
        by_id = {r["id"]: r for r in a}
        signs = [r for r in a if r["kind"] == "sign_off"]
        s.check(len(signs) == 2 and all(by_id.get(r["ref"], {}).get("kind") == "override"
                                        for r in signs),
                "%s: a sign-off refers to its override by keyed id" % fmt)
        s.check(len({r["case_id"] for r in a}) == len(ids),
                "%s: one pseudonym per case" % fmt)
    s.finish()


if __name__ == "__main__":
    main()
