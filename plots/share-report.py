#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The report of a `daxbench share` run, as Markdown on stdout.

    plots/share-report.py DB [RUN_ID] [OUTDIR]   (plots/share-report.sh runs this)

Every figure comes from daxbench itself, never from SQL (only results-db/
speaks SQL): `daxbench list --json` finds the latest finished run of suite
'share' (the highest id) when no RUN_ID is given, `daxbench show --json RUN`
gives the run's start, its fingerprint and the per-metric summaries (median,
n, min, max), and `daxbench plot` draws the charts into OUTDIR (default
docs/ of the source tree, else the current folder). $DAXBENCH names the
daxbench binary (default: build/harness/daxbench of the source tree, else the
installed one next to this script, else daxbench on PATH).

Rows follow metric names (show --json lists metrics by name) where they are
not sorted otherwise; the SQL this replaces followed insertion order. The
figures are show's summaries over all of a metric's samples; a share run
records each metric in one boot, so they are the per-boot summaries that SQL
read.
"""
import json
import os
import re
import subprocess
import sys

USAGE = "usage: share-report.sh DB [RUN_ID] [OUTDIR]"
HERE = os.path.dirname(os.path.abspath(__file__))


def fail(msg):
    print("share-report: " + msg, file=sys.stderr)
    sys.exit(1)


def daxbench(binary, *args, capture=True):
    """Runs daxbench; its own message goes to stderr. Exits on failure."""
    try:
        p = subprocess.run([binary, *args], check=False, text=True,
                           stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    except OSError as e:
        fail(f"cannot run {binary}: {e.strerror}")
    if p.returncode:
        fail(f"'{' '.join(['daxbench', *args])}' failed (exit status {p.returncode})")
    return p.stdout


def like(pattern, s):
    """SQL LIKE as sqlite has it (% any run, _ any one character, ASCII case
    folded), so that the metrics picked are those the old SQL picked."""
    rx = "".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, s, re.IGNORECASE | re.DOTALL) is not None


def num(v):
    return float("nan") if v is None else float(v)   # null: not finite


def latest_share_run(binary, db):
    runs = json.loads(daxbench(binary, "list", "--db", db, "--json",
                               "--status", "finished"))["runs"]
    ids = [r["id"] for r in runs if r["suite"] == "share" and r["status"] == "finished"]
    if not ids:
        fail(f"no finished share run in {db}")
    return max(ids)


class Metrics:
    """The run's per-metric summaries, by name, in name order."""

    def __init__(self, show):
        self.by_name = {m["name"]: m for m in show["metrics"]}
        self.names = sorted(self.by_name)

    def matching(self, *patterns, unless=None):
        return [self.by_name[n] for n in self.names
                if any(like(p, n) for p in patterns) and not (unless and like(unless, n))]

    def any(self, pattern):
        return bool(self.matching(pattern))

    def median(self, name):
        """0 when the run has no such metric (what awk made of the empty answer)."""
        m = self.by_name.get(name)
        return num(m["median"]) if m else 0.0

    def n(self, name):
        m = self.by_name.get(name)
        return int(m["n"]) if m else 0


def field(name, i):
    """cut -d. -f(i+1)"""
    parts = name.split(".")
    return parts[i] if i < len(parts) else ""


def memory_rows(ms):
    """(mode, N, MiB) of the summed QEMU Pss of every group, by mode then N."""
    rows = []
    for m in ms.matching("share.%.n%.host.pss_sum.kib"):
        g = re.fullmatch(r"share\.([a-z-]+)\.n([0-9]+)\.host\.pss_sum\.kib", m["name"])
        if g:
            rows.append((g.group(1), int(g.group(2)), num(m["median"]) / 1024))
    return sorted(rows, key=lambda r: (r[0], r[1]))


def report(show, out):
    run = show["run"]
    fp = show["fingerprint"]
    ms = Metrics(show)
    mem = memory_rows(ms)
    p = out.append

    started = run["started"].replace("T", " ").rstrip("Z")   # as sqlite's datetime()
    erofs = fp.get("usr_image.erofs_sha256", "")[:12]
    p("Regenerate: `build/harness/daxbench share && plots/share-report.sh daxbench.db > docs/share.md`")
    p("")
    p(f"Run {run['id']} ({started} UTC, kernel {fp.get('kernel.release', '')}, image sha256 ext4 "
      f"{fp.get('usr_image.ext4_sha256', '')[:12]}...{f', erofs {erofs}...' if erofs else ''}); "
      f"modes: {fp.get('share.modes', '')}.")
    p("")
    p("![host memory against N](share-memory.png)")
    p("")
    p("![exec startup, cold and warm](exec.png)")
    p("")
    p("| mode | N | host memory (sum of QEMU Pss), MiB |")
    p("|---|---|---|")
    for mode, n, mib in mem:
        p("| %s | %d | %.1f |" % (mode, n, mib))
    p("")
    p("Derived figures (least-squares slope of the summed Pss over N = 1..%s per mode; saving: "
      "that slope minus the DAX mode's on the same filesystem; one run):"
      % (max(r[1] for r in mem) if mem else ""))
    p("")
    p("| figure | MiB |")
    p("|---|---|")
    for m in ms.matching("share.%.host_per_guest.kib", "share.saved_per_guest.%",
                         "share.workload.read.kib"):
        p("| %s | %.1f |" % (m["name"], num(m["median"]) / 1024))
    for m in ms.matching("share.dax.vmemmap_per_gib.kib"):
        p("| %s (KiB) | %.0f |" % (m["name"], num(m["median"])))
    p("")
    p("Exec startup (fork + chroot + exec + wait through the image's loader, in a 1-guest boot "
      "of its own per mode; cold: one sample after drop_caches; warm: median, min-max of n):")
    p("")
    p("| mode | program | cold, ms | warm median, ms | warm min-max, ms | n |")
    p("|---|---|---|---|---|---|")
    for m in ms.matching("share.%.n1.exec.%.warm.us", unless="%.cmd.warm.us"):
        mode, prog = field(m["name"], 1), field(m["name"], 4)
        cold = ms.median(f"share.{mode}.n1.exec.{prog}.cold.us")
        p("| %s | %s | %.1f | %.1f | %.1f-%.1f | %d |"
          % (mode, prog, cold / 1000, num(m["median"]) / 1000, num(m["min"]) / 1000,
             num(m["max"]) / 1000, int(m["n"])))
    if ms.any("share.%.n1.exec.%.hyperfine.us"):
        p("")
        p("hyperfine cross-check (the exec boot, warm, medians in ms): the in-guest timer on the "
          "program alone (fork, chroot, exec),")
        p("the in-guest timer on hyperfine's own command line '/bin/chroot MNT prog' spawned as "
          "hyperfine spawns it")
        p("(two batches, before and after hyperfine; drift: the second batch's median against "
          "the first's), and hyperfine:")
        p("")
        p("| mode | program | program alone | command line, n | drift | hyperfine, n | "
          "hyperfine vs command line |")
        p("|---|---|---|---|---|---|---|")
        for m in ms.matching("share.%.n1.exec.%.hyperfine.us"):
            mode, prog = field(m["name"], 1), field(m["name"], 4)
            pre = f"share.{mode}.n1.exec.{prog}"
            diff = ms.median(f"{pre}.hyperfine_vs_timer.pct")
            p("| %s | %s | %.1f | %.1f, %d | %+.0f%% | %.1f, %d | %+.0f%%%s |"
              % (mode, prog, ms.median(f"{pre}.warm.us") / 1000,
                 ms.median(f"{pre}.cmd.warm.us") / 1000, ms.n(f"{pre}.cmd.warm.us"),
                 ms.median(f"{pre}.cmd.drift.pct"), num(m["median"]) / 1000, int(m["n"]),
                 diff, " (beyond 10%)" if diff > 10 or diff < -10 else ""))


def default_binary():
    """build/harness/daxbench of the source tree this script is in, else the
    installed daxbench next to it (PREFIX/share/daxbench/scripts), else PATH."""
    src = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    for p in (os.path.join(src, "build", "harness", "daxbench"),
              os.path.join(HERE, "..", "..", "..", "bin", "daxbench")):
        if os.access(p, os.X_OK) and os.path.isfile(p):
            return p
    return "daxbench"


def default_outdir():
    """docs/ of the source tree this script is in, else the current folder."""
    docs = os.path.join(os.path.dirname(os.path.dirname(os.path.realpath(__file__))), "docs")
    return docs if os.path.isdir(docs) else "."


def main(argv):
    if len(argv) < 2 or not argv[1]:
        print(USAGE, file=sys.stderr)
        return 1
    db = argv[1]
    out = argv[3] if len(argv) > 3 and argv[3] else default_outdir()
    binary = os.environ.get("DAXBENCH") or default_binary()
    os.makedirs(out, exist_ok=True)
    run = argv[2] if len(argv) > 2 and argv[2] else str(latest_share_run(binary, db))
    show = json.loads(daxbench(binary, "show", "--db", db, "--json", run))
    run = str(show["run"]["id"])
    daxbench(binary, "plot", "--db", db, run, out, capture=False)
    for f in ("share-memory.hash", "exec.hash"):   # only publish redraws incrementally
        try:
            os.remove(os.path.join(out, f))
        except FileNotFoundError:
            pass
    lines = []
    report(show, lines)
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
