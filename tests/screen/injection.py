#!/usr/bin/env python3
"""injection.py: terminal injection through the curses UI (issue 5): hostile text stored in
names and free-text fields must never reach the terminal raw.

usage: injection.py [--keep] [--verbose] FRONTDOOR_BINARY SCREEN_DIR

TAMPER (tests/store's tamper tool; meson sets it) defaults to tests/store/tamper beside
the binary.

What it does
  1. Makes a fresh demo database and records, through the CLI, one case per payload (about
     250 payloads: C0 and C1 controls, 8-bit C1 bytes, CSI sequences, OSC 0/2 titles, OSC 52
     clipboard writes and queries, OSC 8 hyperlinks, DCS/APC/PM/SOS strings, tmux
     passthrough, bidi controls, overlong and invalid UTF-8, backspace and CR tricks).
     A payload that is valid UTF-8 goes, JSON-escaped, into the case's child's name,
     referrer's name and "what was reported" (`frontdoor --as j.smith decide`), and into a
     second case whose case id carries it, which `route --record` must reject without
     quoting the id when the id holds a control or bidi character (sanitise_unsafe) and
     record otherwise; every payload, as raw bytes, goes into the
     decision's --feedback, and for some cases into an override --rationale, an outcome
     --note (m.jones; s.lee for a case with the MASH) and a sign-off --comment (s.lee).
     The CLI takes as free text only valid UTF-8 with no control character but newline
     and tab: it must refuse any other --feedback with exit 2, never quoting it; such a
     payload is recorded with a placeholder, which the tamper tool then replaces in the
     stored record by the payload as a frontdoor that did not check free text stored it
     (raw; the feedback as its JSON writer escapes it), so the screens still meet every
     payload. Each payload carries a marker FDMnnn just before its hostile part, and the
     OSC payloads carry FDMARK.
  2. Runs the UI as s.lee (a manager: queue, case view, sign-off and audit screens) under
     util-linux `script`, which keeps a transcript of every byte the UI writes, inside a
     private tmux server (80x24, set-clipboard on, allow-rename on), and visits every queue
     page, every payload case's case view, every decision awaiting sign-off, and every
     payload record in the audit log's record panel; then types bidi controls into the
     intake form.
  3. Checks, on every screen captured (tmux capture-pane):
       - the screen keeps its frame: 24 rows, the title bar on the first, the key hints on
         the last;
       - every marker FDMnnn shown is followed by the payload as inert text: each control,
         C1, bidi or invalid byte replaced by '?' (sanitise.h), cut only where its column or
         line ends;
       - no cell carries an attribute the UI never uses (italic, blink, hidden, strike,
         overline, RGB colour), which only an interpreted SGR payload could set;
     and at the end, in tmux: the pane title and window name unchanged (OSC 0/2, ESC k),
     no paste buffer (OSC 52 with set-clipboard on), and no terminal mode left set by a
     payload (insert, origin, mouse, bracketed paste, scroll region, keypad).
  4. Scans the raw transcript byte by byte. Only ncurses' own vocabulary may appear: CSI
     sequences with parameters below 1000 and finals ncurses uses (cursor motion, erase,
     insert/delete, SGR, scroll region, the alternate screen and cursor modes, and the
     bracketed paste the screens ask for themselves), ESC 7/8/=/>
     /M/D/E, ESC ( B, ESC ( 0, and the C0 controls CR, LF, BS, HT, SO, SI. A finding is:
     any OSC, DCS, APC, PM or SOS string; any other escape; any other C0 control; any C1
     control, raw (0x80-0x9F outside UTF-8) or UTF-8 encoded (U+0080-U+009F); any bidi
     control (U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069) or U+2028/U+2029; any
     invalid UTF-8; and any payload's raw bytes right after its marker.

The summary line gives payloads, records, screens checked, transcript bytes scanned and
findings. Any finding fails the test (exit 1). Needs root (--as), tmux and script;
otherwise it skips (exit 77).
"""
import base64
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

NOW = "2026-11-20T17:00:00Z"
COLS, ROWS = 80, 24
BIDI = {0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E,
        0x2066, 0x2067, 0x2068, 0x2069, 0x2028, 0x2029}

VERBOSE = False


T0 = time.time()


def log(*a):
    if VERBOSE:
        print("[%5.1fs]" % (time.time() - T0), *a, flush=True)


# ---- payloads ----

def payloads():
    """(category, raw bytes) of every hostile part; FDMnnn is put in front of each later."""
    P = []

    def add(cat, x):
        P.append((cat, x.encode("utf-8") if isinstance(x, str) else x))

    # C0 controls and DEL, each followed by its code so a lost character shows
    for c in list(range(0x01, 0x20)) + [0x7F]:
        add("C0", chr(c) + "c%02X" % c)
    # C1 controls as UTF-8 (U+0080-U+009F): what a UTF-8 terminal may still obey
    for c in range(0x80, 0xA0):
        if c == 0x9B:
            add("C1-utf8", "\u009b2J\u009b31m")
        elif c == 0x9D:
            add("C1-utf8", "\u009d0;FDMARK\u009c")
        elif c == 0x90:
            add("C1-utf8", "\u0090$qm\u009c")
        else:
            add("C1-utf8", chr(c) + "u%02X" % c)
    # C1 controls as single 8-bit bytes (not UTF-8): through the CLI's arguments only
    for c in range(0x80, 0xA0):
        if c == 0x9B:
            add("C1-8bit", b"\x9b2J\x9b31m")
        elif c == 0x9D:
            add("C1-8bit", b"\x9d0;FDMARK\x9c")
        elif c == 0x90:
            add("C1-8bit", b"\x90$qm\x9c")
        else:
            add("C1-8bit", bytes([c]) + b"b%02X" % c)
    # CSI: erase, cursor movement, SGR, modes, reports that make the terminal answer
    for s in ["[2J", "[H", "[3J", "[2K", "[1K", "[31m", "[0m", "[1;31;42m", "[5m", "[8m",
              "[3m", "[9m", "[53m", "[38;2;1;2;3m", "[48;2;1;2;3m", "[4:3m", "[7m",
              "[38;5;4242m", "[4201;4201H", "[10;10H", "[4202A", "[5B", "[20C", "[3D",
              "[1;4203r", "[4h", "[?1049l", "[?25l", "[?1000h", "[?1006h", "[?2004h",
              "[?7l", "[?6h", "[?5h", "[6n", "[c", "[>c", "[21t", "[8;1;1t", "[!p",
              "[4242X", "[4242@", "[4242P", "[4242L", "[4242M", "[2 q", "[?1h", "[4204S",
              "[4205T", "[0;4206r"]:
        add("CSI", "\x1b" + s + "x")
    # other escapes: reset, charsets, save/restore, index, screen alignment, titles
    for s in ["c", "7", "8", "D", "E", "M", "#8", "(0", ")0", "N", "O", "=", ">", "H",
              "kFDMARK\x1b\\", "\x1b[2J", "[", "[?"]:
        add("ESC", "\x1b" + s + "e")
    add("ESC", "\x1b")
    # OSC: titles, clipboard (write and query), hyperlinks, colours, notifications
    b64 = base64.b64encode(b"FDMARKER").decode()
    for s in ["]0;FDMARK\x07", "]2;FDMARK\x1b\\", "]1;FDMARK\x07",
              "]52;c;%s\x07" % b64, "]52;p;%s\x1b\\" % b64, "]52;s0;%s\x07" % b64,
              "]52;c;?\x07", "]8;;http://evil.example/FDMARK\x07click\x1b]8;;\x07",
              "]8;id=x;file:///etc/passwd\x1b\\here\x1b]8;;\x1b\\",
              "]4;1;rgb:ff/00/00\x07", "]10;?\x07", "]11;#000000\x07", "]12;red\x07",
              "]7;file://host/FDMARK\x07", "]133;A\x07", "]1337;File=name=RkRN:QUFB\x07",
              "]777;notify;FDMARK;body\x07", "]9;FDMARK\x07", "]0;FDMARK",
              "]0;\x1b[2JFDMARK\x07", "]22;FDMARK\x07", "]104\x07", "]50;FDMARK\x07",
              "]52;c;%s\x07" % base64.b64encode(b"FDMARK" * 20).decode()]:
        add("OSC", "\x1b" + s + "o")
    # device control, application program command, privacy message, start of string
    for s in ["P$qm\x1b\\", "P+q544e\x1b\\", "Ptmux;\x1b\x1b]52;c;%s\x07\x1b\\" % b64,
              "Pq#0;2;0;0;0#0~~@@vv\x1b\\", "P1$r0m\x1b\\", "_Gf=100;RkRN\x1b\\",
              "^FDMARK\x1b\\", "XFDMARK\x1b\\", "P"]:
        add("DCS", "\x1b" + s + "d")
    # bidirectional controls and separators, alone and in Trojan-source shapes
    for c in sorted(BIDI):
        add("bidi", chr(c) + "v%04X" % c)
    for s in ["\u202eevil\u202c", "\u2067FDM\u2069", "abc\u202e\u2066cba\u2069\u202c",
              "\u200f\u202bRTL\u202c"]:
        add("bidi", s)
    # backspace, carriage return and line tricks that would overwrite what is shown
    for s in ["safe\rEVIL", "abc\b\b\bXYZ", "\r\x1b[2KFAKE", "\n\nApproved", "tab\tx",
              "\x0b\x0cvf", "x\x1b[1A\x1b[2Kover", "\b" * 20 + "bs", "\r\r\rcr",
              "\x7f\x7fdel", "ok\x1b[1;1Hfake"]:
        add("trick", s)
    # overlong, surrogate, out-of-range and truncated UTF-8: through arguments only
    for b in [b"\xc0\xaf", b"\xe0\x80\xaf", b"\xf0\x80\x80\xaf", b"\xc1\x9b2J",
              b"\xc0\x9b[2J", b"\xe0\x80\x9b[2J", b"\xed\xa0\x80", b"\xed\xbf\xbf",
              b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80",
              b"\xfc\x84\x80\x80\x80\x80", b"\xfe", b"\xff", b"\xe2\x80", b"\x80",
              b"\xbf", b"\xc2" + b"2J", b"\xe2\x82", b"\xc2\x1b[2J",
              b"\xe2\x80\x1b]0;FDMARK\x07", b"\xf0\x9f\x98"]:
        add("utf8", b + b"i")
    return P


def is_json_able(b):
    try:
        b.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in b


def free_text_ok(b):
    """Whether the CLI takes b as free text (action_check_text): UTF-8, no control but LF, HT."""
    i = 0
    while i < len(b):
        cp, n = decode_step(b, i)
        if cp is None or (cp < 0x20 and cp not in (0x09, 0x0A)) or 0x7F <= cp <= 0x9F:
            return False
        i += n
    return True


def json_text(b):
    """b between the quotes as json_write_string writes it: '?' for an invalid byte, a
    control (C1 too) as an escape, '"' and '\\' escaped."""
    out = bytearray()
    i = 0
    while i < len(b):
        cp, n = decode_step(b, i)
        if cp is None:
            out += b"?"
        elif cp in (0x22, 0x5C):
            out += b"\\" + bytes([cp])
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            out += b"\\u%04x" % cp
        else:
            out += b[i:i + n]
        i += n
    return bytes(out)


def refused_feedback(fd, env, tmp, text, stdin):
    """decide --feedback TEXT is a usage error that does not quote the text; else why not."""
    r = subprocess.run([fd, "--db", "db", "--as", "j.smith", "decide", b"--feedback", text],
                       cwd=tmp, env=env, input=stdin, capture_output=True)
    if r.returncode != 2 or r.stdout != b"" or b"FDM" in r.stderr or \
            b"--feedback" not in r.stderr:
        return "exit %d, stdout %r, stderr %r" % (r.returncode, r.stdout[:80], r.stderr[:200])
    return None


def plant(tamper, tmp, edits):
    """Puts each (seq, placeholder, payload) payload in place of its placeholder."""
    lines = b"".join(b"%d %s %s\n" % (seq, old.hex().encode(), new.hex().encode())
                     for seq, old, new in edits)
    r = subprocess.run([tamper, os.path.join(tmp, "db"), "edit"], input=lines,
                       capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("tamper edit: %s" % r.stderr.decode(errors="replace"))


def unsafe_cp(c):
    """Whether a code point is one sanitise_unsafe() refuses, and so no case id holds."""
    return (c < 0x20 or 0x7f <= c <= 0x9f or c in (0x061c, 0x200e, 0x200f, 0x2028, 0x2029)
            or 0x202a <= c <= 0x202e or 0x2066 <= c <= 0x2069)


def route_unsafe_ids(fd, env, tmp, lines):
    """route --record of cases whose ids hold controls: each rejected, the id never quoted."""
    r = subprocess.run([fd, "--db", "db", "--as", "a.khan", "route", "--record"], cwd=tmp,
                       env=env, input=b"".join(lines), capture_output=True)
    errs = r.stderr.splitlines()[:-1]
    why = b": rejected: 'case_id' must be 1 to 256 of the ASCII letters"
    if (lines and r.returncode != 1) or r.stdout != b"" or len(errs) != len(lines) or \
            not all(why in e for e in errs) or b"FDM" in r.stderr:
        raise RuntimeError("route --record of %d case ids with controls: exit %d, %d "
                           "decisions, stderr %r" % (len(lines), r.returncode,
                                                     len(r.stdout.splitlines()), r.stderr[:300]))


def decode_step(b, i):
    """(code point or None, length) of the UTF-8 sequence at b[i]; None for an invalid byte."""
    c = b[i]
    if c < 0x80:
        return c, 1
    if 0xC2 <= c <= 0xDF:
        n = 2
    elif 0xE0 <= c <= 0xEF:
        n = 3
    elif 0xF0 <= c <= 0xF4:
        n = 4
    else:
        return None, 1
    try:
        s = b[i:i + n].decode("utf-8")
    except UnicodeDecodeError:
        return None, 1
    return ord(s), n


def render(b):
    """How sanitise.h says b is shown: '?' for each invalid byte and each control."""
    out = []
    i = 0
    while i < len(b):
        cp, n = decode_step(b, i)
        if cp is None:
            out.append("?")
        elif cp < 0x20 or 0x7F <= cp < 0xA0 or cp in BIDI:
            out.append("?")
        else:
            out.append(chr(cp))
        i += n
    return "".join(out)


# ---- tmux ----

class Tmux:
    def __init__(self, sock):
        self.sock = sock

    def run(self, *args, check=True):
        env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
        env.pop("TMUX", None)
        r = subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null"] + list(args),
                           capture_output=True, env=env)
        if check and r.returncode != 0:
            raise RuntimeError("tmux %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
        return r.stdout.decode("utf-8", "replace")

    def grab(self):
        """The screen with tmux's attribute escapes (kept in self.last with the plain text,
        which it returns): one capture serves both checks."""
        esc = self.run("capture-pane", "-p", "-e", "-t", "fd:0.0")
        plain = "\n".join(re.sub(r"\x1b\[[0-9;:?]*[A-Za-z]", "", l).rstrip(" ")
                          for l in esc.split("\n"))
        self.last = (plain, esc)
        return plain

    def capture(self, escapes=False):
        args = ["capture-pane", "-p", "-t", "fd:0.0"]
        if escapes:
            args.insert(2, "-e")
        return self.run(*args)

    def keys(self, *keys):
        self.run("send-keys", "-t", "fd:0.0", *keys)

    def text(self, s):
        self.run("send-keys", "-t", "fd:0.0", "-l", "--", s)

    def display(self, fmt):
        return self.run("display", "-p", "-t", "fd:0.0", fmt).rstrip("\n")

    def wait(self, pred, timeout=10.0, what="the screen"):
        end = time.time() + timeout
        while True:
            s = self.grab()
            if pred(s):
                return s
            if time.time() > end:
                raise TimeoutError("timed out waiting for %s; screen:\n%s" % (what, s))
            time.sleep(0.03)

    def settle(self, timeout=30.0):
        """Waits until two grabs 0.1 s apart agree: the UI has finished drawing."""
        end = time.time() + timeout
        prev = self.grab()
        while time.time() < end:
            time.sleep(0.1)
            cur = self.grab()
            if cur == prev:
                return cur
            prev = cur
        return prev

    def wait_text(self, text, timeout=10.0):
        return self.wait(lambda s: text in s, timeout, repr(text))


# ---- the checks ----

class Checker:
    def __init__(self, payload_by_marker, quiet=False):
        self.p = payload_by_marker
        self.quiet = quiet
        self.findings = []
        self.screens = 0
        self.markers_checked = 0
        self.seen = {}

    def finding(self, text):
        self.findings.append(text)
        if not self.quiet:
            log("FINDING:", text)

    def screen(self, where, text, esc_text):
        """Checks one captured screen."""
        self.screens += 1
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines = lines[:-1]
        if len(lines) != ROWS:
            self.finding("%s: %d rows on the screen, not %d" % (where, len(lines), ROWS))
        if not lines or not lines[0].startswith(" frontdoor \u2502"):
            self.finding("%s: the title bar is not on the first row: %r" % (where, lines[0] if lines else ""))
        if len(lines) < ROWS or not lines[ROWS - 1].strip():
            self.finding("%s: no key hints on the last row" % where)
        for y, line in enumerate(lines):
            for m in re.finditer(r"\bI-\d{3}\b", line):
                self.seen.setdefault(m.group(0), set()).add(where.split(" ")[0])
            for m in re.finditer(r"FDM(\d{3})", line):
                key = m.group(0)
                if key not in self.p:
                    continue
                cat, raw = self.p[key]
                self.seen.setdefault(key, set()).add(where.split(" ")[0])
                self.markers_checked += 1
                exp = render(raw)
                got = line[m.end():]
                n = 0
                while n < len(exp) and n < len(got) and exp[n] == got[n]:
                    n += 1
                if n == len(exp):
                    continue
                # cut where the column or the line ends: the rest is padding or nothing
                if n > 0 and (n == len(got) or got[n] == " " or got[n - 1] == " " or
                              got[n] in "\u2191\u2193\u2026"):
                    continue
                self.finding("%s row %d: %s (%s) shown as %r, expected %r" % (
                    where, y, key, cat, got[:len(exp) + 4], exp))
        # attributes the UI never sets: only an interpreted payload could
        for m in re.finditer(r"\x1b\[([0-9;:]*)m", esc_text):
            params = m.group(1)
            parts = re.split(r"[;:]", params) if params else []
            k = 0
            while k < len(parts):
                v = parts[k]
                if v in ("38", "48", "58"):
                    if k + 1 < len(parts) and parts[k + 1] == "2":
                        self.finding("%s: a cell has an RGB colour (SGR %s)" % (where, params))
                        break
                    k += 3
                    continue
                if v in ("3", "5", "6", "8", "9", "21", "53"):
                    self.finding("%s: a cell has SGR attribute %s (SGR %s)" % (where, v, params))
                    break
                if ":" in params and v == "4":
                    self.finding("%s: a cell has a styled underline (SGR %s)" % (where, params))
                    break
                k += 1


# ncurses' vocabulary for screen-256color
CSI_FINALS = set("ABCDEFGHJKLMPSTXZd@fGhlmr")
PRIVATE_MODES = {"1", "12", "25", "1049", "1000", "1002", "1003", "1005", "1006", "1015",
                 "2004"}  # 2004: the screens' own bracketed paste, set at start, reset at exit
SET_MODES = {"4", "34"}
ESC_SINGLE = set("78=>MDE")
CHARSETS = {"(B", "(0", ")0", ")B"}
C0_ALLOWED = {0x08, 0x09, 0x0A, 0x0D, 0x0E, 0x0F}


def scan_transcript(data, payload_list, checker):
    """Checks the bytes the UI wrote; returns counts for the summary."""
    counts = {"csi": 0, "esc": 0, "c0": 0, "text": 0}
    i, n = 0, len(data)

    def snippet(a, b):
        return repr(data[max(0, a - 12):min(n, b + 12)])

    while i < n:
        c = data[i]
        if c == 0x1B:
            if i + 1 >= n:
                checker.finding("transcript @%d: ESC at the very end" % i)
                break
            d = data[i + 1]
            if d == 0x5B:  # CSI
                j = i + 2
                while j < n and 0x30 <= data[j] <= 0x3F:
                    j += 1
                params = data[i + 2:j].decode("latin-1")
                k = j
                while k < n and 0x20 <= data[k] <= 0x2F:
                    k += 1
                inter = data[j:k].decode("latin-1")
                if k >= n or not (0x40 <= data[k] <= 0x7E):
                    checker.finding("transcript @%d: malformed CSI %s" % (i, snippet(i, k)))
                    i = k
                    continue
                final = chr(data[k])
                counts["csi"] += 1
                bad = None
                nums = [p for p in re.split(r"[;:]", params.lstrip("?")) if p]
                if inter:
                    bad = "intermediate bytes"
                elif ":" in params or params[:1] in (">", "=", "<"):
                    bad = "parameters ncurses does not send"
                elif final not in CSI_FINALS:
                    bad = "final '%s'" % final
                elif final not in "hl" and any(len(x) > 3 for x in nums):
                    bad = "a parameter of 1000 or more (a payload's marker)"
                elif final in "hl" and params.startswith("?") and not set(params[1:].split(";")) <= PRIVATE_MODES:
                    bad = "private mode %s" % params
                elif final in "hl" and not params.startswith("?") and not set(params.split(";")) <= SET_MODES:
                    bad = "mode %s" % params
                if bad:
                    checker.finding("transcript @%d: CSI with %s: %s" % (i, bad, snippet(i, k + 1)))
                i = k + 1
                continue
            if d in (0x5D, 0x50, 0x5F, 0x5E, 0x58):  # OSC DCS APC PM SOS
                name = {0x5D: "OSC", 0x50: "DCS", 0x5F: "APC", 0x5E: "PM", 0x58: "SOS"}[d]
                j = i + 2
                while j < n and data[j] != 0x07 and not (data[j] == 0x1B and j + 1 < n and data[j + 1] == 0x5C) and data[j] != 0x9C:
                    j += 1
                checker.finding("transcript @%d: %s string %s" % (i, name, snippet(i, j + 1)))
                i = j + 1
                continue
            if d in (0x28, 0x29, 0x2A, 0x2B) and i + 2 < n:
                seq = data[i + 1:i + 3].decode("latin-1")
                counts["esc"] += 1
                if seq not in CHARSETS:
                    checker.finding("transcript @%d: charset designation ESC %s" % (i, seq))
                i += 3
                continue
            counts["esc"] += 1
            if chr(d) not in ESC_SINGLE:
                checker.finding("transcript @%d: escape ESC %r: %s" % (i, chr(d), snippet(i, i + 2)))
            i += 2
            continue
        if c < 0x20 or c == 0x7F:
            counts["c0"] += 1
            if c not in C0_ALLOWED:
                checker.finding("transcript @%d: C0 control 0x%02X: %s" % (i, c, snippet(i, i + 1)))
            i += 1
            continue
        if c < 0x80:
            counts["text"] += 1
            i += 1
            continue
        cp, ln = decode_step(data, i)
        if cp is None:
            if 0x80 <= c <= 0x9F:
                checker.finding("transcript @%d: 8-bit C1 control 0x%02X: %s" % (i, c, snippet(i, i + 1)))
            else:
                checker.finding("transcript @%d: invalid UTF-8 byte 0x%02X: %s" % (i, c, snippet(i, i + 1)))
            i += 1
            continue
        if 0x80 <= cp <= 0x9F:
            checker.finding("transcript @%d: C1 control U+%04X in UTF-8: %s" % (i, cp, snippet(i, i + ln)))
        elif cp in BIDI:
            checker.finding("transcript @%d: bidi/separator U+%04X: %s" % (i, cp, snippet(i, i + ln)))
        counts["text"] += 1
        i += ln
    # a payload's raw bytes right after its marker: written as they are
    for idx, (cat, raw) in enumerate(payload_list, 1):
        marker = b"FDM%03d" % idx
        probe = marker + raw[:3]
        if render(raw[:3]) == raw[:3].decode("utf-8", "replace"):
            continue  # nothing hostile at its start: the probe would match inert text
        if probe in data:
            checker.finding("transcript: %s (%s) written raw after its marker" % (marker.decode(), cat))
    return counts


# ---- the checks check themselves ----

def selftest():
    """The detectors must see raw payloads: a transcript and a screen that let them through."""
    plist = [("CSI", b"\x1b[2Jx"), ("OSC", b"\x1b]0;FDMARK\x07o"), ("C1-8bit", b"\x9b2J")]
    bad = (b"\x1b[?1049h\x1b[1;1HFDM001\x1b[2Jx FDM002\x1b]0;FDMARK\x07o FDM003\x9b2J"
           b" \xe2\x80\xae \xc2\x9b \x1b[4242;1H \x07 \x1bc \x1b[6n \xc0\xaf \x1b[1\x01")
    chk = Checker({"FDM%03d" % i: p for i, p in enumerate(plist, 1)}, quiet=True)
    scan_transcript(bad, plist, chk)
    want = ["malformed", "OSC string", "8-bit C1", "U+202E", "U+009B", "parameter of 1000",
            "C0 control 0x07", "ESC 'c'", "final 'n'", "invalid UTF-8", "FDM001 (CSI) written raw"]
    missing = [w for w in want if not any(w in f for f in chk.findings)]
    good = Checker({}, quiet=True)
    scan_transcript(b"\x1b(B\x1b)0\x1b[?1049h\x1b[1;24r\x1b[m\x0f\x1b[H\x1b[2J\x1b[39;49m"
                    b"\x1b[30m\x1b[47mabc \xe2\x94\x82\x0e\x0f\r\n\x08\x1b[?25l\x1b[?1049l\x1b>", [], good)
    rows = [" frontdoor \u2502 Queue"] + ["  I-001 FDM001[2Jx Ashfield", "FDM002?]0;FDMARK?o"] + \
           [""] * (ROWS - 4) + ["Enter:open"]
    scr = Checker({"FDM%03d" % i: p for i, p in enumerate(plist, 1)}, quiet=True)
    scr.screen("selftest", "\n".join(rows) + "\n", "\x1b[5mblink\x1b[38;2;1;2;3mrgb")
    want_scr = ["FDM001 (CSI) shown as", "SGR attribute 5", "RGB colour"]
    missing += [w for w in want_scr if not any(w in f for f in scr.findings)]
    if any("FDM002" in f for f in scr.findings):
        missing.append("(a false finding on an inert FDM002)")
    if good.findings:
        missing.append("(false findings on ncurses' own output: %s)" % good.findings)
    return missing


# ---- the run ----

def main():
    global VERBOSE
    args = sys.argv[1:]
    keep = "--keep" in args
    VERBOSE = "--verbose" in args
    args = [a for a in args if a not in ("--keep", "--verbose")]
    if len(args) != 2:
        sys.stderr.write("usage: injection.py [--keep] [--verbose] FRONTDOOR_BINARY SCREEN_DIR\n")
        return 2
    fd = os.path.realpath(args[0])
    tamper = os.environ.get("TAMPER") or os.path.join(os.path.dirname(fd), "tests/store/tamper")
    if not os.access(tamper, os.X_OK):
        print("injection: no tamper tool at %s (meson sets TAMPER); skipping" % tamper)
        return 77
    if os.geteuid() != 0:
        print("injection: needs root (the payloads are recorded as several users with --as); skipping")
        return 77
    for tool in ("tmux", "script"):
        if shutil.which(tool) is None:
            print("injection: %s is not installed; skipping" % tool)
            return 77

    missing = selftest()
    if missing:
        print("injection: the self-test of the checks failed: not found: %s" % "; ".join(missing))
        print("0 passed, 1 failed")
        return 1

    tmp = tempfile.mkdtemp(prefix="fd-injection.")
    sock = "frontdoor-test-%d" % os.getpid()
    tm = Tmux(sock)
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "HOME": tmp + "/home", "XDG_DATA_HOME": tmp + "/home/.local/share",
        "XDG_CONFIG_HOME": tmp + "/home/.config", "XDG_CACHE_HOME": tmp + "/home/.cache",
        "TMPDIR": tmp, "TERM": "screen-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
        "TZ": "UTC", "FRONTDOOR_NOW": NOW, "FRONTDOOR_MOUSE": "0", "SHELL": "/bin/sh",
    }
    os.makedirs(env["XDG_DATA_HOME"])
    t0 = time.time()
    try:
        return run(fd, tmp, tm, env, tamper)
    finally:
        tm.run("kill-server", check=False)
        if keep:
            print("injection: kept %s" % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
        log("took %.1fs" % (time.time() - t0))


def cli(fd, env, tmp, user, argv, stdin=None):
    r = subprocess.run([fd, "--db", "db", "--as", user] + argv, cwd=tmp, env=env,
                       input=stdin, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("frontdoor --as %s %s failed (%d): %s" % (
            user, " ".join(shlex.quote(a.decode("latin-1") if isinstance(a, bytes) else a)
                           for a in argv[:2]), r.returncode, r.stderr.decode(errors="replace")))
    return r.stdout


def run(fd, tmp, tm, env, tamper):
    r = subprocess.run([fd, "demo", "--db", "db"], cwd=tmp, env=env, capture_output=True)
    if r.returncode != 0:
        print("injection: frontdoor demo failed: %s" % r.stderr.decode(errors="replace"))
        return 1
    plist = payloads()
    by_marker = {}
    records = 0
    demo_records = len(cli(fd, env, tmp, "s.lee", ["log"]).splitlines())
    cases = []          # (case id, marker) of the payload cases
    open_cases = set()  # the payload cases still open (in the queue)
    json_able = 0
    jlines = []
    bad_ids = []        # the cases whose id holds a control: to be rejected
    edits = []          # (seq, placeholder, payload) of the free text the CLI refused
    refusals = []       # feedback the CLI should have refused and did not, or quoted
    for idx, (cat, raw) in enumerate(plist, 1):
        marker = "FDM%03d" % idx
        by_marker[marker] = (cat, raw)
        mb = marker.encode()
        cid = "I-%03d" % idx
        received = "2026-11-20T%02d:%02d:00Z" % (16 - idx // 60, 59 - idx % 60)
        if is_json_able(raw):
            json_able += 1
            text = mb.decode() + raw.decode("utf-8")
            name = ref = what = text
        else:
            name = ref = what = "Raw %03d" % idx
        facts = {"case_id": cid, "received": received,
                 "child": {"name": name, "age": 7, "district": "Gedling"},
                 "referrer": {"agency": "school", "name": ref},
                 "reported": {"what": what, "basis": "reported"},
                 "consent": "given", "indicators": ["dev.l2_01"]}
        line = json.dumps(facts, ensure_ascii=True).encode() + b"\n"
        ok = free_text_ok(mb + raw)
        # the text to give each option, and what the tamper tool later puts in its place
        given = (lambda what: mb + raw if ok else mb + b"PLACEHOLDER-" + what)
        pending = []
        if not ok:
            why = refused_feedback(fd, env, tmp, mb + raw, line)
            if why is not None:
                refusals.append("%s (%s): %s" % (marker, cat, why))
        argv = ["decide", b"--feedback", given(b"F")]
        pending.append((given(b"F"), json_text(mb + raw)))
        if idx % 3 == 0:
            argv += [b"--override", b"mash", b"--rationale", given(b"R") + b" rationale long enough to pass",
                     b"--strategy", b"yes"]
            pending.append((given(b"R"), mb + raw))
        out = cli(fd, env, tmp, "j.smith", argv, line)
        seq = int(re.match(rb"recorded seq (\d+)", out).group(1))
        if not ok:
            edits += [(seq, old, new) for old, new in pending]
        records += 1
        cases.append((cid, marker))
        open_cases.add(cid)
        if idx % 5 == 1:
            # early help cannot close a case with the MASH (every third case): a manager can
            closer = "s.lee" if idx % 3 == 0 else "m.jones"
            out = cli(fd, env, tmp, closer, ["outcome", cid, "needs_met", b"--note", given(b"N")])
            if not ok:
                edits.append((int(re.match(rb"recorded seq (\d+)", out).group(1)), given(b"N"), mb + raw))
            records += 1
            open_cases.discard(cid)
        if idx % 6 == 0:
            out = cli(fd, env, tmp, "s.lee", ["sign-off", str(seq), b"--return", b"--comment", given(b"C") + b" returned: comment long enough"])
            if not ok:
                edits.append((int(re.match(rb"recorded seq (\d+)", out).group(1)), given(b"C"), mb + raw))
            records += 1
        if is_json_able(raw):
            # the payload in the case id itself
            facts2 = dict(facts, case_id="J" + marker + raw.decode("utf-8"),
                          child={"name": "Case id J%03d" % idx, "age": 7, "district": "Gedling"})
            line2 = json.dumps(facts2, ensure_ascii=True).encode() + b"\n"
            if any(unsafe_cp(ord(ch)) for ch in facts2["case_id"]):
                bad_ids.append(line2)
            else:
                jlines.append(line2)
    # the cases with a payload in their id, in one batch (and those refused, in another)
    route_unsafe_ids(fd, env, tmp, bad_ids)
    out = cli(fd, env, tmp, "a.khan", ["route", "--record"], b"".join(jlines))
    records += len(out.splitlines())
    if len(out.splitlines()) != len(jlines):
        raise RuntimeError("route --record logged %d of %d cases" % (len(out.splitlines()), len(jlines)))
    plant(tamper, tmp, edits)
    log("recorded %d records for %d payloads; %d free texts refused by the CLI put in by tamper"
        % (records, len(plist), len(edits)))

    # the UI under script(1), inside tmux
    launch = os.path.join(tmp, "launch.sh")
    with open(launch, "w") as f:
        f.write("#!/bin/sh\ncd %s || exit 99\nexec env -i %s %s --db db --as s.lee 2>>%s\n" % (
            shlex.quote(tmp), " ".join(shlex.quote("%s=%s" % kv) for kv in env.items()),
            shlex.quote(fd), shlex.quote(tmp + "/stderr.txt")))
    os.chmod(launch, 0o755)
    transcript = os.path.join(tmp, "transcript")
    tm.run("start-server", ";", "set", "-g", "exit-empty", "off", ";", "set", "-g",
           "remain-on-exit", "on", ";", "set", "-g", "status", "off", ";", "set", "-g",
           "set-clipboard", "on", ";", "set", "-g", "allow-rename", "on", ";", "set", "-g",
           "automatic-rename", "off", ";", "set", "-g",
           "history-limit", "100")
    # a control: this tmux does obey OSC 52 and OSC 2 from a pane, so the checks below can
    # see a payload that got through
    tm.run("new-session", "-d", "-s", "control", "-x", str(COLS), "-y", str(ROWS),
           "printf '\\033]52;c;Q09OVFJPTA==\\007\\033]2;CONTROLTITLE\\007'; sleep 2")
    end = time.time() + 5
    while time.time() < end and "CONTROL" not in tm.run("list-buffers"):
        time.sleep(0.05)
    ctl_title = tm.run("display", "-p", "-t", "control:0.0", "#{pane_title}").strip()
    ctl_buf = tm.run("list-buffers")
    if "CONTROL" not in ctl_buf or ctl_title != "CONTROLTITLE":
        print("injection: control failed: tmux did not record OSC 52 / OSC 2 (buffers %r, title %r)"
              % (ctl_buf, ctl_title))
        print("0 passed, 1 failed")
        return 1
    tm.run("kill-session", "-t", "control")
    tm.run("delete-buffer")
    tm.run("new-session", "-d", "-s", "fd", "-n", "fdwindow", "-x", str(COLS), "-y", str(ROWS),
           "script -q -f -e -c %s %s" % (shlex.quote(launch), shlex.quote(transcript)))
    tm.wait_text("Filter route")
    title0 = tm.display("#{pane_title}")
    wname0 = tm.display("#{window_name}")
    chk = Checker(by_marker)
    for r in refusals:
        chk.finding("CLI: --feedback taken or quoted: %s" % r)

    def look(where):
        """Checks the screen last grabbed (by a wait), which is the one the keys led to."""
        # a screen caught half-drawn is looked at again once the UI has finished drawing it
        before = len(chk.findings)
        chk.screen(where, *tm.last)
        if len(chk.findings) > before:
            first = chk.findings[before:]
            del chk.findings[before:]
            chk.screens -= 1
            time.sleep(0.3)
            tm.grab()
            chk.screen(where, *tm.last)
            if len(chk.findings) == before:
                log("%s: looked again after a half-drawn screen (%s)" % (where, first[0]))

    # 1. the queue, page by page
    tm.keys("g")
    tm.settle()
    pages = 0
    while pages < 200:
        s = tm.grab()
        look("queue page %d" % (pages + 1))
        pages += 1
        if "(end)" in s:
            break
        tm.keys("NPage")
        try:
            # generous: under load (an ASan build beside other work) a page can take seconds
            tm.wait(lambda x, p=s: x != p, 60.0, "the next queue page")
            tm.settle()
        except TimeoutError:
            chk.finding("queue: page %d did not turn within 60 s" % pages)
            break
    queue_seen = {k for k, v in chk.seen.items() if "queue" in v}
    missing = [cid for cid, m in cases if cid in open_cases and cid not in queue_seen]
    if missing:
        chk.finding("queue: %d open payload cases never shown (%s ...)" % (len(missing), ", ".join(missing[:5])))
    log("queue: %d pages" % pages)

    # 2. every payload case's case view
    # (keys are read in order, so one send-keys does: back to the queue, the case id
    # prompt, clear it, the id, open)
    first = True
    for cid, marker in cases:
        tm.keys(*(([] if first else ["q"]) + ["c", "C-u", cid, "Enter"]))
        first = False
        tm.wait(lambda s, c=cid: s.split("\n")[1].startswith(c + " "), 5.0, "case " + cid)
        look("case %s" % cid)
    tm.keys("q")
    tm.wait_text("Filter route", 5.0)
    log("case views done")

    # 3. the decisions awaiting sign-off, one by one
    tm.keys("m")
    s = tm.wait_text("awaiting sign-off", 5.0)
    n_signoff = 0
    while n_signoff < 400:
        look("signoff %d" % n_signoff)
        n_signoff += 1
        tm.keys("j")
        try:
            s = tm.wait(lambda x, p=s: x != p, 1.0, "the next decision")
        except TimeoutError:
            break
    tm.keys("q")
    tm.wait_text("Filter route", 5.0)
    log("sign-off: %d decisions" % n_signoff)

    # 4. the audit log: list pages and the record panel of every payload record
    tm.keys("a")
    s = tm.wait_text("#%d" % (demo_records + records), 5.0)
    tm.keys("Enter")
    s = tm.wait_text("Record  ", 5.0)
    n_audit = 0
    while n_audit < records:
        look("audit record %d" % n_audit)
        n_audit += 1
        tm.keys("j")
        try:
            s = tm.wait(lambda x, p=s: x != p, 1.0, "the next record")
        except TimeoutError:
            break
    # q closes the record panel, then leaves the audit screen
    for _ in range(3):
        tm.keys("q")
        try:
            tm.wait_text("Filter route", 1.0)
            break
        except TimeoutError:
            pass
    tm.wait_text("Filter route", 5.0)
    log("audit: %d records" % n_audit)

    # 5. bidi controls and separators typed (pasted) into the intake form
    typed = 0
    time.sleep(0.2)
    typed_from = os.path.getsize(transcript)
    tm.keys("n")
    tm.wait_text("Case id (blank: new)", 5.0)
    tm.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")
    for c in sorted(BIDI):
        tm.text(chr(c) + "x")
        typed += 1
    time.sleep(0.3)
    tm.grab()
    look("intake typed")
    tm.keys("Escape")
    tm.wait_text("Leave this contact?", 5.0)
    tm.keys("d")
    tm.wait_text("Filter route", 5.0)
    time.sleep(0.2)
    typed_to = os.path.getsize(transcript)

    # tmux's view of the terminal: nothing a payload could have changed
    state = tm.display("#{pane_title}|#{window_name}|#{insert_flag}|#{origin_flag}|"
                       "#{mouse_any_flag}|#{mouse_sgr_flag}|#{mouse_standard_flag}|"
                       "#{scroll_region_upper}|#{scroll_region_lower}|#{wrap_flag}|"
                       "#{alternate_on}|#{pane_dead}")
    want = "%s|%s|0|0|0|0|0|0|%d|1|1|0" % (title0, wname0, ROWS - 1)
    if state != want:
        chk.finding("tmux state title|name|insert|origin|mouse(any,sgr,std)|scroll region|wrap|alternate|dead "
                    "is %r, want %r" % (state, want))
    if title0 != tm.display("#{host_short}") and "FDMARK" in title0:
        chk.finding("the pane title holds a payload: %r" % title0)
    bufs = tm.run("list-buffers")
    if bufs.strip():
        chk.finding("tmux has paste buffers (OSC 52 obeyed): %r" % bufs[:200])

    tm.keys("q")
    tm.wait(lambda s: tm.display("#{pane_dead}") == "1", 10.0, "the UI to exit")
    time.sleep(0.2)
    data = open(transcript, "rb").read()
    # script(1)'s own first and last lines are not the UI's
    if data.startswith(b"Script started on"):
        cut = data.index(b"\n") + 1
        data = data[cut:]
        typed_from -= cut
        typed_to -= cut
    k = data.rfind(b"\nScript done on")
    if k >= 0:
        data = data[:k]
    before = len(chk.findings)
    counts = scan_transcript(data, plist, chk)
    # what was drawn while bidi controls were being typed into the form
    for k in range(before, len(chk.findings)):
        m = re.match(r"transcript @(\d+): (.*)", chk.findings[k])
        if m and typed_from <= int(m.group(1)) < typed_to:
            chk.findings[k] = "transcript, typed into the form, @%s: %s" % m.groups()
    err = open(os.path.join(tmp, "stderr.txt"), "rb").read() if os.path.exists(os.path.join(tmp, "stderr.txt")) else b""
    if err:
        chk.finding("the UI wrote to standard error: %r" % err[:200])

    real = chk.findings
    for f in real[:60]:
        print("FINDING: " + f)
    if len(real) > 60:
        print("... and %d more findings" % (len(real) - 60))
    cats = {}
    for cat, _ in plist:
        cats[cat] = cats.get(cat, 0) + 1
    print("injection: %d payloads (%s), %d of them through JSON too, %d typed into the form; "
          "%d records written" % (len(plist), ", ".join("%s %d" % kv for kv in cats.items()),
                                  json_able, typed, records))
    print("injection: %d screens checked (%d queue pages, %d case views, %d sign-off, %d audit "
          "records, 1 intake), %d payload markers checked on screen" % (
              chk.screens, pages, len(cases), n_signoff, n_audit, chk.markers_checked))
    print("injection: %d transcript bytes scanned (%d CSI sequences, %d other escapes, %d C0 "
          "controls, %d characters)" % (len(data), counts["csi"], counts["esc"], counts["c0"],
                                        counts["text"]))
    print("injection: %d findings" % len(real))
    print("%d passed, %d failed" % (0 if real else 1, 1 if real else 0))
    return 1 if real else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (TimeoutError, RuntimeError, OSError) as e:
        print("injection: %s" % e)
        print("0 passed, 1 failed")
        sys.exit(1)
