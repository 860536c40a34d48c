#!/bin/bash
# Draws the radix chart: median ns per lookup against file size, sector
# entries against pfn entries, per backend model and for the kernel module,
# dense and sparse files, from a run in the results database.
#   plots/radix-chart.sh [--db DB] [--run ID] [--pattern P] [--threads N] OUT.png|OUT.svg
# Exit status: 0 ok, 1 error, 2 usage.
set -euo pipefail
db=${DAXBENCH_DB:-daxbench.db} run= pattern=uniform threads=1 out=
usage() { sed -n 2,6p "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --db) db=$2; shift 2 ;;
    --run) run=$2; shift 2 ;;
    --pattern) pattern=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "radix-chart: unknown option $1" >&2; usage ;;
    *) out=$1; shift ;;
  esac
done
[ -n "$out" ] || usage
[ -f "$db" ] || { echo "radix-chart: no database at $db" >&2; exit 1; }
case $out in *.png) term="pngcairo size 1400,800 font ',10'" ;; *.svg) term="svg size 1400,800" ;;
  *) echo "radix-chart: OUT must end in .png or .svg" >&2; exit 2 ;; esac
if [ -z "$run" ]; then
  run=$(sqlite3 -batch -noheader "$db" "select r.id from runs r where r.status='finished' and exists
    (select 1 from summaries su join metrics m on m.id=su.metric_id where su.run_id=r.id
     and m.name like 'radix.model.%') order by r.id desc limit 1")
fi
[ -n "$run" ] || { echo "radix-chart: no finished run with radix results in $db" >&2; exit 1; }

dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
# One file per series: <side>-<backend>-<density>-<variant>.dat with
# "size_bytes size_label median p90", sorted by size.
sqlite3 -batch -noheader -separator ' ' "$db" "select m.name, su.median, su.p90, su.n
  from summaries su join metrics m on m.id=su.metric_id
  where su.run_id=$run and m.name like 'radix.%.ns'" |
awk -v dir="$dir" -v pat="$pattern" -v thr="t$threads" '
  function bytes(s,   n, u) { n = s + 0; u = substr(s, length(s)); 
    return n * (u == "K" ? 2^10 : u == "M" ? 2^20 : u == "G" ? 2^30 : u == "T" ? 2^40 : 1) }
  { k = split($1, f, ".")
    if (f[2] == "model" && f[3] == "flat") { side = "model"; be = "floor"; v = "flat"; i = 4 }
    else { side = f[2]; be = f[3]; v = f[4]; i = 5 }
    size = f[i]; dens = f[i + 1]; p = f[i + 2]; t = f[i + 3]
    if (p != pat || t != thr) next
    printf "%.0f %s %s %s\n", bytes(size), size, $2, $3 >> (dir "/" side "-" be "-" dens "-" v ".dat") }'
for f in "$dir"/*.dat; do sort -n -o "$f" "$f"; done
ls "$dir"/*.dat >/dev/null 2>&1 || { echo "radix-chart: run $run has no radix figures for pattern $pattern, $threads thread(s)" >&2; exit 1; }
kernel=$(sqlite3 -batch -noheader "$db" "select value from fingerprint where run_id=$run and key='kernel.release'")
gnuplot -e "dir='$dir'; out='$out'; term=\"$term\"; subtitle='run $run, kernel $kernel, $pattern access, $threads thread(s)'" \
  "$(dirname "$0")/radix.gp"
echo "radix-chart: wrote $out (run $run)"
