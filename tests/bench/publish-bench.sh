#!/bin/bash
# Speed of `daxbench publish`: generates a database of 100 metrics over
# 1,000 kernels (2 boots each, three metrics in ten with a step at kernel
# 500), publishes it from scratch, then again with nothing changed.
# Target: the first publish within 60 s on the 2-core development machine.
# Run: meson test -C build --benchmark (or DAXBENCH=build/harness/daxbench $0);
# XB_BENCH_KEEP=DIR keeps the site.
set -eu
: "${DAXBENCH:?path of the daxbench binary}"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/daxbench-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
db="$TMP/bench.db"
: >"$TMP/empty.db"
"$DAXBENCH" db merge --db "$db" "$TMP/empty.db" >/dev/null   # a new database, current schema
sqlite3 -batch "$db" <<'SQL'
BEGIN;
WITH RECURSIVE r(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM r WHERE i < 1000)
INSERT INTO runs (uuid, suite, status, started_at, host)
  SELECT printf('00000000-0000-4000-8000-%012d', i), 'bench', 'finished', 1e9 + i, 'benchhost' FROM r;
INSERT INTO fingerprint SELECT id, 'backend', 'axonram-emu' FROM runs;
INSERT INTO fingerprint SELECT id, 'kernel.release', printf('6.1.0-%d-amd64', id) FROM runs;
INSERT INTO fingerprint SELECT id, 'kernel.package_version', printf('6.1.%d-1', id) FROM runs;
INSERT INTO boots (run_id, idx, status) SELECT id, 0, 'finished' FROM runs;
INSERT INTO boots (run_id, idx, status) SELECT id, 1, 'finished' FROM runs;
WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i < 99)
INSERT INTO metrics (name, unit, direction) SELECT printf('bench.m%03d.ns', i), 'ns', 'lower' FROM m;
INSERT INTO summaries SELECT r.id, m.id, b.idx, 1, v, v, v, v, v, v, v, 0 FROM
  (SELECT r.id AS rid, m.id AS mid, b.idx AS bidx,
     1000 + 10 * (m.id % 7) + (CASE WHEN m.id % 10 < 3 AND r.id > 500 THEN 50 ELSE 0 END)
       + (abs(random()) % 2000) / 100.0 AS v
   FROM runs r, metrics m, boots b WHERE b.run_id = r.id) x
  JOIN runs r ON r.id = x.rid JOIN metrics m ON m.id = x.mid JOIN boots b ON b.run_id = r.id AND b.idx = x.bidx;
COMMIT;
SQL
echo "database: $(sqlite3 "$db" 'select count(*) from metrics') metrics, $(sqlite3 "$db" 'select count(*) from runs') kernels, $(sqlite3 "$db" 'select count(*) from summaries') per-boot medians"
for pass in first again; do
  start=$(date +%s.%N)
  "$DAXBENCH" publish --db "$db" "$TMP/site" | tail -1 || [ $? = 3 ]
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
  echo "publish ($pass): $secs s"
  if [ "$pass" = first ]; then first=$secs; fi
done
if [ -n "${XB_BENCH_KEEP:-}" ]; then rm -rf "$XB_BENCH_KEEP"; cp -r "$TMP/site" "$XB_BENCH_KEEP"; fi
cps=$(sqlite3 "$db" "select count(*) from changepoints")
right=$(sqlite3 "$db" "select count(*) from changepoints where point like '6.1.0-501-amd64 %'")
echo "change points: $cps stored, $right at the planted step (30 planted)"
awk -v s="$first" 'BEGIN { exit !(s <= 60) }' || { echo "FAIL: first publish took $first s (target 60 s)"; exit 1; }
