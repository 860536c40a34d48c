#!/bin/bash
# The quick sharing experiment (daxbench share --quick: N = 1, 2 guests,
# modes dax and pagecache, all attaching one shared /usr image) and the
# design's promise: dax mode's host memory per additional guest is smaller
# than page-cache mode's by at least 80% of the file data the workload read.
# The figures are read back from the database, not from the tool's output.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: daxbench share runs as root"; exit 77; }
db="$TMP/results.db"
start=$(date +%s)
"$DAXBENCH" share --quick --db "$db" --label integration >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -5 "$TMP/err"
check "daxbench share --quick exits 0 (got $rc)" [ "$rc" = 0 ]
echo "quick sharing experiment wall time: $(( $(date +%s) - start )) s"
check "one finished run" [ "$(q "$db" "select count(*) from runs where status='finished'")" = 1 ]

val() { q "$db" "select su.median from summaries su join metrics m on m.id=su.metric_id where m.name='$1'"; }
for mode in dax pagecache; do
  for n in 1 2; do
    k=$(q "$db" "select count(*) from samples s join metrics m on m.id=s.metric_id where m.name='share.$mode.n$n.qemu.pss.kib'")
    check "$mode N=$n: a Pss figure per guest ($k)" [ "$k" = "$n" ]
    # guest RAM never on host huge pages, whatever the host's THP setting
    # (QEMU madvises its RAM; one guest write would cost the host 2 MiB)
    k=$(q "$db" "select count(*) from samples s join metrics m on m.id=s.metric_id where m.name='share.$mode.n$n.qemu.anon_huge.kib'")
    h=$(q "$db" "select coalesce(max(su.max), 'none') from summaries su join metrics m on m.id=su.metric_id where m.name='share.$mode.n$n.qemu.anon_huge.kib'")
    check "$mode N=$n: no QEMU's RAM on host transparent huge pages ($k guests, at most $h KiB; host THP $(cat /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null))" \
      [ "$k:$h" = "$n:0.0" ]
  done
done
om=$(q "$db" "select group_concat(m.name || '=' || su.median, ' ') from summaries su join metrics m on m.id=su.metric_id where m.name like 'share.%.host.image_other_mappers'")
echo "processes outside the groups mapping the image (they would share its Pss): $om"
check "each group counted the image's other mappers" [ "$(wc -w <<<"$om")" = 4 ]
dax=$(val share.dax.host_per_guest.kib)
pc=$(val share.pagecache.host_per_guest.kib)
read=$(val share.workload.read.kib)
img=$(q "$db" "select value from fingerprint where key='usr_image.ext4_sha256'")
check "the image's sha256 is in the fingerprint ($img)" grep -Eq '^[0-9a-f]{64}$' <<<"$img"
for n in 1 2; do
  echo "host memory (sum of QEMU Pss) at N=$n: dax $(val share.dax.n$n.host.pss_sum.kib) KiB," \
       "page cache $(val share.pagecache.n$n.host.pss_sum.kib) KiB"
done
echo "host memory per additional guest: dax $dax KiB, page cache $pc KiB;" \
     "the workload read $read KiB per guest (n = 2 groups per mode, 1 run: no spread)"
check "workload read something ($read KiB)" awk -v r="$read" 'BEGIN { exit !(r > 1024) }'
check "dax per-guest host memory is below page cache's by >= 80% of the data read ($pc - $dax vs 0.8 x $read KiB)" \
  awk -v d="$dax" -v p="$pc" -v r="$read" 'BEGIN { printf "  saving %.0f KiB = %.0f%% of %.0f KiB\n", p-d, 100*(p-d)/r, r; exit !(p - d >= 0.8 * r) }'
cached=$(val share.dax.n1.guest.cached_delta.kib)
check "dax guest's Cached hardly grew over the workload ($cached KiB, read $read)" \
  awk -v c="$cached" -v r="$read" 'BEGIN { exit !(c < 0.05 * r) }'
pcc=$(val share.pagecache.n1.guest.cached_delta.kib)
check "page-cache guest's Cached grew by about the data read ($pcc KiB)" \
  awk -v c="$pcc" -v r="$read" 'BEGIN { exit !(c > 0.8 * r) }'
# the detail plots publish puts on this run's page (daxbench plot draws them alike)
"$DAXBENCH" plot --db "$db" "$TMP/plots" >"$TMP/plot.out" 2>&1; rc=$?; cat "$TMP/plot.out"
check "daxbench plot exits 0 (got $rc)" [ "$rc" = 0 ]
for k in share-memory exec; do
  check "$k plot drawn (png and svg)" bash -c "[ -s '$TMP/plots/$k.png' ] && [ -s '$TMP/plots/$k.svg' ]"
done
groups=$(q "$db" "select count(*) from metrics where name like 'share.%.n%.host.pss_sum.kib'")
rows=$(awk '!/^#/ && NF == 5' "$TMP/plots/share-memory.dat" | wc -l)
check "host memory plot: a point per mode and N ($rows, want $groups)" [ "$rows" = "$groups" ]
d1=$(awk '/^# dax/ { b = 1; next } b && NF == 5 && $1 == 1 { print $2; exit }' "$TMP/plots/share-memory.dat")
check "host memory plot: dax at N=1 is the recorded sum of Pss ($d1 KiB)" \
  awk -v a="$d1" -v b="$(val share.dax.n1.host.pss_sum.kib)" 'BEGIN { exit !(a != "" && a == b + 0) }'
bars=$(awk '!/^#/ && NF >= 10' "$TMP/plots/exec.dat" | wc -l)
progs=$(q "$db" "select count(*) from metrics where name like 'share.dax.n1.exec.%.warm.us' and name not like '%.cmd.warm.us'")
modes=$(q "$db" "select count(*) from metrics where name like 'share.%.n1.exec.busybox.warm.us'")
check "exec plot: a group per program and mode ($bars, want $progs x $modes)" [ "$bars" = $((progs * modes)) ]
if [ -x /usr/bin/hyperfine ]; then
  # the cross-check times the same command line on both sides: 2 x 5 timer
  # runs bracketing hyperfine's 5, and a difference figure per program
  for prog in busybox true perl dpkg; do
    p="share.dax.n1.exec.$prog"
    k=$(q "$db" "select su.n from summaries su join metrics m on m.id=su.metric_id where m.name='$p.cmd.warm.us'")
    h=$(q "$db" "select su.n from summaries su join metrics m on m.id=su.metric_id where m.name='$p.hyperfine.us'")
    d=$(val "$p.hyperfine_vs_timer.pct")
    echo "$prog: timer on hyperfine's command line $(val "$p.cmd.warm.us") us (n=$k, drift $(val "$p.cmd.drift.pct")%)," \
         "hyperfine $(val "$p.hyperfine.us") us (n=$h): ${d}%"
    check "$prog: cross-check has 10 timer and 5 hyperfine samples and a difference ($k, $h, $d)" \
      bash -c '[ "$1" = 10 ] && [ "$2" = 5 ] && [ -n "$3" ]' _ "$k" "$h" "$d"
  done
fi
finish
