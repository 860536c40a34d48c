#!/bin/bash
# The report of a `daxbench share` run, from the database: the charts of
# host memory against N per mode and of exec startup (drawn by
# `daxbench plot`, the same as on the run's page of `daxbench publish`), the
# memory dax saves per guest, and exec startup cold and warm, as Markdown on
# stdout. $DAXBENCH names the daxbench binary (default: build/harness/daxbench).
#   plots/share-report.sh DB [RUN_ID] [OUTDIR]   (default: latest share run, docs/)
set -euo pipefail
db=${1:?usage: share-report.sh DB [RUN_ID] [OUTDIR]}
here=$(cd "$(dirname "$0")" && pwd)
out=${3:-$here/../docs}
mkdir -p "$out"
q() { sqlite3 -batch -noheader -separator ' ' "$db" "$1"; }
run=${2:-$(q "select max(id) from runs where suite='share' and status='finished'")}
[ -n "$run" ] || { echo "share-report: no finished share run in $db" >&2; exit 1; }
med="select m.name, su.median, su.n, su.min, su.max from summaries su join metrics m on m.id=su.metric_id where su.run_id=$run"
dat=$(mktemp); trap 'rm -f "$dat"' EXIT
q "$med and m.name like 'share.%.n%.host.pss_sum.kib'" |
  sed -E 's/^share\.([a-z-]+)\.n([0-9]+)\.host\.pss_sum\.kib ([0-9.e+-]+) .*/\1 \2 \3/' |
  awk '{ printf "%s %d %.1f\n", $1, $2, $3 / 1024 }' | sort -k1,1 -k2,2n >"$dat"
"${DAXBENCH:-$here/../build/harness/daxbench}" plot --db "$db" "$run" "$out" >/dev/null
rm -f "$out/share-memory.hash" "$out/exec.hash"   # only publish redraws incrementally
echo "Regenerate: \`build/harness/daxbench share && plots/share-report.sh daxbench.db > docs/share.md\`"
echo
echo "Run $run ($(q "select datetime(started_at, 'unixepoch') from runs where id=$run") UTC, kernel $(q "select value from fingerprint where run_id=$run and key='kernel.release'"), image sha256 ext4 $(q "select substr(value,1,12) from fingerprint where run_id=$run and key='usr_image.ext4_sha256'")...$(e=$(q "select substr(value,1,12) from fingerprint where run_id=$run and key='usr_image.erofs_sha256'"); [ -n "$e" ] && echo ", erofs $e...")); modes: $(q "select value from fingerprint where run_id=$run and key='share.modes'")."
echo
echo "![host memory against N](share-memory.png)"
echo
echo "![exec startup, cold and warm](exec.png)"
echo
echo "| mode | N | host memory (sum of QEMU Pss), MiB |"
echo "|---|---|---|"
awk '{ printf "| %s | %d | %.1f |\n", $1, $2, $3 }' "$dat"
echo
echo "Derived figures (least-squares slope of the summed Pss over N = 1..$(awk '{ print $2 }' "$dat" | sort -n | tail -1) per mode; saving: that slope minus the DAX mode's on the same filesystem; one run):"
echo
echo "| figure | MiB |"
echo "|---|---|"
q "$med and (m.name like 'share.%.host_per_guest.kib' or m.name like 'share.saved_per_guest.%' or m.name = 'share.workload.read.kib')" |
  awk '{ printf "| %s | %.1f |\n", $1, $2 / 1024 }'
q "$med and m.name = 'share.dax.vmemmap_per_gib.kib'" | awk '{ printf "| %s (KiB) | %.0f |\n", $1, $2 }'
echo
echo "Exec startup (fork + chroot + exec + wait through the image's loader, in a 1-guest boot of its own per mode; cold: one sample after drop_caches; warm: median, min-max of n):"
echo
echo "| mode | program | cold, ms | warm median, ms | warm min-max, ms | n |"
echo "|---|---|---|---|---|---|"
q "$med and m.name like 'share.%.n1.exec.%.warm.us' and m.name not like '%.cmd.warm.us'" | while read -r name m n lo hi; do
  mode=$(cut -d. -f2 <<<"$name"); prog=$(cut -d. -f5 <<<"$name")
  cold=$(q "$med and m.name='share.$mode.n1.exec.$prog.cold.us'" | cut -d' ' -f2)
  awk -v mo="$mode" -v p="$prog" -v c="$cold" -v m="$m" -v lo="$lo" -v hi="$hi" -v n="$n" \
    'BEGIN { printf "| %s | %s | %.1f | %.1f | %.1f-%.1f | %d |\n", mo, p, c/1000, m/1000, lo/1000, hi/1000, n }'
done
if [ -n "$(q "$med and m.name like 'share.%.n1.exec.%.hyperfine.us'")" ]; then
  echo
  echo "hyperfine cross-check (the exec boot, warm, medians in ms): the in-guest timer on the program alone (fork, chroot, exec),"
  echo "the in-guest timer on hyperfine's own command line '/bin/chroot MNT prog' spawned as hyperfine spawns it"
  echo "(two batches, before and after hyperfine; drift: the second batch's median against the first's), and hyperfine:"
  echo
  echo "| mode | program | program alone | command line, n | drift | hyperfine, n | hyperfine vs command line |"
  echo "|---|---|---|---|---|---|---|"
  q "$med and m.name like 'share.%.n1.exec.%.hyperfine.us'" | while read -r name m n lo hi; do
    mode=$(cut -d. -f2 <<<"$name"); prog=$(cut -d. -f5 <<<"$name")
    p="share.$mode.n1.exec.$prog"
    alone=$(q "$med and m.name='$p.warm.us'" | cut -d' ' -f2)
    read -r cm cn <<<"$(q "$med and m.name='$p.cmd.warm.us'" | cut -d' ' -f2,3)"
    drift=$(q "$med and m.name='$p.cmd.drift.pct'" | cut -d' ' -f2)
    diff=$(q "$med and m.name='$p.hyperfine_vs_timer.pct'" | cut -d' ' -f2)
    awk -v mo="$mode" -v p="$prog" -v a="$alone" -v cm="$cm" -v cn="$cn" -v d="$drift" -v h="$m" -v n="$n" -v df="$diff" \
      'BEGIN { printf "| %s | %s | %.1f | %.1f, %d | %+.0f%% | %.1f, %d | %+.0f%%%s |\n", mo, p, a/1000, cm/1000, cn, d, h/1000, n, df, (df > 10 || df < -10) ? " (beyond 10%)" : "" }'
  done
fi
