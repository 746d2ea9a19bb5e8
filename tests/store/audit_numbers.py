#!/usr/bin/env python3
# audit_numbers.py: the numbers `stats` and `whatif` print, checked against a count made here from
# the log's JSON Lines export (and, for whatif, from `route` on the exported facts).
# The database: the demo's synthetic contacts (several months, overrides, re-referrals) and a
# few more recorded on top, some with district names in wide characters.
# Needs FRONTDOOR (the binary) and FD_RULES (the rule file the demo is built with).

import json
import os
import subprocess
import sys
import tempfile
import unicodedata
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from zoneinfo import ZoneInfo

FD = os.environ.get("FRONTDOOR", "build/frontdoor")
RULES = os.environ.get("FD_RULES", "rules/pathway-to-provision.yaml")
ROUTES = ["universal", "early_help_unit", "targeted_early_help", "mash"]
BY = {
    "month": None,
    "district": ("child", "district"),
    "agency": ("referrer", "agency"),
    "officer": None,
}
PASSED = 0
FAILED = 0


def check(what, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL: %s%s" % (what, ("\n    " + detail) if detail else ""))


def check_eq(what, got, want):
    check(what, got == want, "got %r\n    want %r" % (got, want))


def fd(db, *args, stdin=None):
    p = subprocess.run([FD, "--db", db] + list(args), input=stdin, capture_output=True,
                       text=True)
    return p.returncode, p.stdout, p.stderr


def utc(s):
    """A received time as seconds, or None when absent or not a time."""
    if not isinstance(s, str):
        return None
    try:
        t = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    return int(t.timestamp())


def bank_holidays(path):
    """The calendar's bank holidays, read from the rule file's list (one date a line)."""
    days, on = set(), False
    with open(path, encoding="utf-8") as f:
        for line in f:
            text = line.strip()
            if text.startswith("bank_holidays:"):
                on = True
            elif on and text.startswith("- "):
                days.add(datetime.strptime(text[2:12], "%Y-%m-%d").date())
            elif on and text and not text.startswith("#"):
                on = False
    return days


HOLIDAYS = bank_holidays(RULES)
LONDON = ZoneInfo("Europe/London")


def due(received):
    """The end (23:59:59 in London) of the first working day after the London day received:
    Saturday, Sunday and the rule file's bank holidays are not working days."""
    d = datetime.fromtimestamp(received, LONDON).date() + timedelta(days=1)
    while d.weekday() >= 5 or d in HOLIDAYS:
        d += timedelta(days=1)
    end = datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=LONDON)
    return int(end.timestamp())


def share(part, whole, csv):
    if whole == 0:
        return "" if csv else "-"
    tenths = Fraction(part * 1000, whole) + Fraction(1, 2)
    t = tenths.numerator // tenths.denominator
    return "%d.%d" % (t // 10, t % 10)


def key_of(by, rec, when):
    if by == "month":
        return datetime.fromtimestamp(when, timezone.utc).strftime("%Y-%m")
    if by == "officer":
        v = rec.get("actor")
    else:
        v = rec.get("facts") or {}
        for part in BY[by]:
            v = v.get(part) if isinstance(v, dict) else None
    return v if isinstance(v, str) and v != "" else "(none)"


def count(records, by, since=None, until=None):
    """Rows of the stats table: {key: [contacts, routes..., overrides, rereferrals, late]}."""
    groups, total, previous = {}, [0] * 8, {}
    for rec in records:
        if rec["kind"] not in ("route", "override"):
            continue
        received = utc((rec.get("facts") or {}).get("received"))
        rtime = utc(rec["time"])
        prev = previous.get(rec["case_id"], "first")
        previous[rec["case_id"]] = received
        re = (prev != "first" and prev is not None and received is not None and
              prev <= received and received - prev <= 365 * 86400)
        when = received if received is not None else rtime
        if (since is not None and when < since) or (until is not None and when > until):
            continue
        late = received is not None and rtime > due(received)
        row = groups.setdefault(key_of(by, rec, when), [0] * 8)
        for r in (row, total):
            r[0] += 1
            r[1 + ROUTES.index(rec["route"])] += 1
            r[5] += rec["kind"] == "override"
            r[6] += re
            r[7] += late
    return groups, total


def cells(key, row, csv):
    return ([key, str(row[0])] + [str(n) for n in row[1:5]] +
            [str(row[5]), share(row[5], row[0], csv), str(row[6]), share(row[6], row[0], csv),
             str(row[7])])


def width(s):
    """Terminal columns: wide and fullwidth two, combining marks none."""
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w


def csv_cell(s):
    if s[:1] in ("=", "+", "-", "@", "\t"):
        return "\"'" + s.replace('"', '""') + '"'
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def expected(records, by, csv, since=None, until=None):
    groups, total = count(records, by, since, until)
    head = [by, "contacts"] + ROUTES
    head += (["overrides", "override_pct", "rereferrals", "rereferral_pct", "late"] if csv else
             ["overrides", "override%", "re-referrals", "re-referral%", "late"])
    rows = [head] + [cells(k, groups[k], csv) for k in sorted(groups, key=lambda k: k.encode())]
    rows.append(cells("(all)", total, csv))
    if csv:
        return "".join(",".join(csv_cell(c) for c in r) + "\n" for r in rows)
    wid = [max(width(r[c]) for r in rows) for c in range(len(head))]
    out = ""
    for r in rows:
        line = r[0] + " " * (wid[0] - width(r[0]))
        for c in range(1, len(r)):
            line += "  " + " " * (wid[c] - width(r[c])) + r[c]
        out += line + "\n"
    return out


def test_stats(db, records):
    months = {key_of("month", r, utc((r.get("facts") or {}).get("received")) or utc(r["time"]))
              for r in records if r["kind"] in ("route", "override")}
    _, total = count(records, "month")
    check("the database has several months", len(months) >= 6, str(sorted(months)))
    check("the database has overrides", total[5] > 0)
    check("the database has re-referrals", total[6] > 0)
    check("some rate rounds up", any(
        share(n, d, True) != "%d.%d" % (n * 1000 // d // 10, n * 1000 // d % 10)
        for g in (count(records, b)[0] for b in BY) for row in g.values()
        for n, d in ((row[5], row[0]), (row[6], row[0])) if d))
    for by in BY:
        for csv in (True, False):
            args = ["stats", "--by", by] + (["--format", "csv"] if csv else [])
            rc, out, err = fd(db, *args)
            check_eq(" ".join(args) + ": exit 0", (rc, err), (0, ""))
            if not csv:
                out = out[:out.index("\n\n") + 1] if "\n\n" in out else out
            check_eq(" ".join(args) + ": every number", out, expected(records, by, csv))
    since, until = utc("2026-02-01T00:00:00Z"), utc("2026-04-30T23:59:59Z")
    rc, out, err = fd(db, "stats", "--by", "district", "--since", "2026-02-01", "--until",
                      "2026-04-30", "--format", "csv")
    check_eq("stats --since --until: every number", (rc, out),
             (0, expected(records, "district", True, since, until)))


def candidate(path):
    """The rules with level 2 needing two indicators and dev.l1_01 gone: some move, some fail."""
    out, skip = [], 0
    for line in open(path, encoding="utf-8"):
        if line.strip() == "- id: dev.l1_01":
            skip = 4
        if skip:
            skip -= 1
            continue
        out.append(line.replace("any_level_2: {count: {level: 2}, at_least: 1}",
                                "any_level_2: {count: {level: 2}, at_least: 2}"))
    return "".join(out)


def test_whatif(db, records, tmp):
    cand = os.path.join(tmp, "candidate.yaml")
    with open(cand, "w", encoding="utf-8") as f:
        f.write(candidate(RULES))
    replayed = [r for r in records if r.get("recommended_route") is not None and
                r.get("ruleset") and r.get("facts")]
    facts = os.path.join(tmp, "facts.jsonl")
    with open(facts, "w", encoding="utf-8") as f:
        for r in replayed:
            f.write(json.dumps(r["facts"], ensure_ascii=False) + "\n")
    p = subprocess.run([FD, "route", "--rules", cand, facts], capture_output=True, text=True)
    decided = iter(json.loads(line) for line in p.stdout.splitlines())
    rejected = {}
    for line in p.stderr.splitlines():
        head, sep, why = line.partition(": rejected: ")
        if sep:
            rejected[int(head.rsplit(":", 1)[1])] = why
    matrix = [[0] * 4 for _ in ROUTES]
    moves, fails = [], []
    for n, r in enumerate(replayed, 1):
        if n in rejected:
            fails.append("  seq %d case %s (recorded %s): %s" % (
                r["seq"], r["case_id"], r["recommended_route"], rejected[n]))
            continue
        d = next(decided)
        matrix[ROUTES.index(r["recommended_route"])][ROUTES.index(d["route"])] += 1
        if d["route"] != r["recommended_route"]:
            moves.append("  seq %d case %s: %s -> %s (rule %s)" % (
                r["seq"], r["case_id"], r["recommended_route"], d["route"], d["rule"]))
    check("the candidate moves some decisions", len(moves) > 0)
    check("the candidate cannot route some decisions", len(fails) > 0)
    rc, out, err = fd(db, "whatif", "--rules", cand)
    check_eq("whatif: exit 0", (rc, err), (0, ""))
    lines = out.splitlines()
    check("whatif: replayed and failed counts",
          lines[0].startswith("%d decisions replayed under " % (len(replayed) - len(fails))) and
          lines[0].endswith("; %d decisions it cannot route (listed last)" % len(fails)),
          lines[0])
    table = [[int(x) for x in line.split()[1:]] for line in lines[3:7]]
    check_eq("whatif: the transition matrix", table, matrix)
    check_eq("whatif: how many would move", lines[8], "%d decisions would change route" %
             len(moves))
    check_eq("whatif: each move, in log order", lines[9:9 + len(moves)], moves)
    check_eq("whatif: each decision it cannot route",
             lines[9 + len(moves):], ["", "%d decisions the candidate cannot route:" %
                                      len(fails)] + fails)


def build(db, tmp):
    """The demo database and, on top, contacts with wide names, a re-referral, an override."""
    subprocess.run([FD, "demo", "--db", db, "--contacts", "400"], check=True,
                   capture_output=True)
    extra = [
        {"case_id": "W-1", "received": "2026-03-02T10:00:00Z",
         "child": {"age": 4, "district": "東京都"}, "referrer": {"agency": "school"},
         "consent": "given", "indicators": []},
        {"case_id": "W-1", "received": "2026-05-04T10:00:00Z",
         "child": {"age": 4, "district": "東京都"}, "referrer": {"agency": "school"},
         "consent": "given", "indicators": []},
        {"case_id": "W-2", "received": "2026-03-07T18:00:00Z",
         "child": {"age": 9, "district": "Zürich"}, "referrer": {"agency": "health"},
         "consent": "given", "indicators": []},
    ]
    path = os.path.join(tmp, "extra.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for c in extra:
            f.write(json.dumps(c, ensure_ascii=False) + "\n")
    rc, _, err = fd(db, "route", "--record", path)
    check_eq("extra contacts recorded", (rc, ""), (0, ""))
    one = os.path.join(tmp, "one.json")
    with open(one, "w", encoding="utf-8") as f:
        json.dump(dict(extra[0], case_id="W-3", received="2026-03-03T08:00:00Z"), f,
                  ensure_ascii=False)
    rc, _, err = fd(db, "decide", "--override", "mash", "--rationale",
                    "the school described more than the form holds", one)
    check_eq("an override recorded", (rc, ""), (0, ""))


def main():
    with tempfile.TemporaryDirectory(prefix="fdnumbers.") as tmp:
        db = os.path.join(tmp, "db")
        build(db, tmp)
        rc, out, err = fd(db, "log", "--format", "jsonl")
        check_eq("log export", (rc, err), (0, ""))
        records = [json.loads(line) for line in out.splitlines()]
        test_stats(db, records)
        test_whatif(db, records, tmp)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 0 if FAILED == 0 and PASSED > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
