#!/bin/bash
# Benchmark: `daxbench compare` over a results database of 10,000 runs must
# answer within a second. Generates the database (schema made by daxbench
# itself; runs, 40 fingerprint fields, one boot and per-boot summaries of 12
# metrics each, no raw samples: compare reads summaries only), then times
# three comparisons: 100 runs a side by label, 2,000 runs a side by kernel
# (normal approximation, 2,000 x 2,000 Hodges-Lehmann differences), and one
# run against one run by id. Prints the times; fails if one exceeds 1 s.
set -u
: "${DAXBENCH:?path of the daxbench binary}"
N=${XB_BENCH_RUNS:-10000}
dir=$(mktemp -d "${TMPDIR:-/tmp}/daxbench-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT
db=${XB_BENCH_DB:-$dir/10k.db}    # XB_BENCH_DB: keep (and reuse) the database
if [ -s "$db" ]; then
  echo "reusing $db"
else
: >"$db"
"$DAXBENCH" list --db "$db" >/dev/null || exit 1    # an empty file is migrated
t0=$(date +%s.%N)
sqlite3 "$db" <<SQL || exit 1
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 11)
INSERT INTO metrics (name, unit, direction)
SELECT 'fault.m' || i || '.ns', 'ns', CASE WHEN i < 10 THEN 'lower' ELSE 'none' END FROM k;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < $N)
INSERT INTO runs (id, uuid, label, suite, status, started_at, ended_at, host)
SELECT i, printf('%08x-0000-4000-8000-%012x', i * 2654435761 % 4294967296, i),
       'l' || (i % 100), 'quick', 'finished', 1.7e9 + i * 60, 1.7e9 + i * 60 + 40, 'bench'
FROM r;
INSERT INTO boots (run_id, idx, started_at, ended_at, accel, status)
SELECT id, 0, started_at, ended_at, 'tcg', 'finished' FROM runs;
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 35)
INSERT INTO fingerprint (run_id, key, value)
SELECT r.id, 'field.' || k.i, 'value ' || (k.i * r.id % 7) FROM runs r, k;
INSERT INTO fingerprint (run_id, key, value)
SELECT id, 'kernel.release', '6.1.0-' || (id % 5) || '-amd64' FROM runs;
INSERT INTO fingerprint (run_id, key, value) SELECT id, 'backend', 'axonram-emu' FROM runs;
INSERT INTO fingerprint (run_id, key, value) SELECT id, 'suite.sha256', 'abc' FROM runs;
INSERT INTO fingerprint (run_id, key, value) SELECT id, 'daxbench.commit', 'def' FROM runs;
INSERT INTO summaries (run_id, metric_id, boot, n, min, median, p90, p99, p999, max, mean, stddev)
SELECT r.id, m.id, 0, 16384, 900, 1000 + (abs(random()) % 1000) / 10.0 + (r.id % 5),
       1500 + (abs(random()) % 1000) / 10.0, 3000, 5000, 9000, 1100, 300
FROM runs r, metrics m;
COMMIT;
SQL
echo "generated $N runs in $(echo "$(date +%s.%N) - $t0" | bc) s ($(du -h "$db" | cut -f1))"
fi
fail=0
# Wall time is what a user waits; CPU time (user + sys) is what the command
# costs. On a machine busy with other guests the wall time stretches with the
# run queue, so both are printed with the load average, and the limit is
# checked on wall time only when the machine is not overloaded.
bench() {
  local best=999 cpu=999 out rc w c
  for _ in 1 2 3 4 5; do
    /usr/bin/time -o "$dir/time" -f "%e %U %S" "$DAXBENCH" compare --db "$db" --no-store \
      "$@" >"$dir/out" 2>/dev/null
    out=$(tail -1 "$dir/time")
    rc=$(grep -q 'verdict:' "$dir/out" && echo ok)
    [ "$rc" = ok ] || { cat "$dir/out"; fail=1; return; }
    w=$(awk '{print $1}' <<<"$out"); c=$(awk '{print $2 + $3}' <<<"$out")
    best=$(echo "if ($w < $best) $w else $best" | bc)
    cpu=$(echo "if ($c < $cpu) $c else $cpu" | bc)
  done
  printf '%-48s best of 5: %5.2f s wall, %5.2f s cpu  (%s)\n' "compare $*" "$best" "$cpu" \
    "$(grep '^verdict' "$dir/out")"
  if [ "$(echo "$cpu > 1" | bc)" = 1 ]; then fail=1; fi
  if [ "$(echo "$best > 1" | bc)" = 1 ] && [ "$(echo "$(cut -d' ' -f1 /proc/loadavg) < $(nproc)" | bc)" = 1 ]; then
    fail=1
  fi
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cpus"
bench label:l1 label:l2
bench kernel:6.1.0-1-amd64 kernel:6.1.0-2-amd64
bench 17 9999
[ "$fail" = 0 ]
