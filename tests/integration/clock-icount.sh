#!/bin/bash
# Clock modes on real guests (about 3 minutes on an idle 2-core machine):
#  1. icount A/A: two runs of the default kernel, 2 boots each, with
#     --clock icount: the fingerprint says clock=icount with QEMU's options,
#     `daxbench compare` of the two has no regression and no improvement,
#     and the DAX fault medians are equal on both sides (guest time is a
#     function of the instructions executed; README, "Clock modes").
#  2. one wall-clock boot: comparing it with an icount run is refused (exit
#     1, the message names the clock); --force compares and lists it.
#  3. show says the clock next to the values.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-x86_64 >/dev/null || { echo "skipped: needs qemu-system-x86_64"; exit 77; }
db="$TMP/results.db"
start=$(date +%s)
for side in aa1 aa2; do
  "$DAXBENCH" run --suite compare-quick --clock icount --boots 2 --label $side --db "$db" \
    >"$TMP/$side.out" 2>"$TMP/$side.err"
  rc=$?
  cat "$TMP/$side.out"; tail -3 "$TMP/$side.err"
  check "icount run $side exits 0 (got $rc)" [ "$rc" = 0 ]
done
echo "icount runs wall time: $(( $(date +%s) - start )) s"
fp() { q "$db" "select group_concat(distinct f.value) from fingerprint f join runs r on r.id=f.run_id where r.label='$1' and f.key='$2'"; }
check "fingerprint: clock=icount ($(fp aa1 clock))" [ "$(fp aa1 clock)" = icount ]
check "fingerprint: QEMU's icount options ($(fp aa1 clock.icount))" \
  [ "$(fp aa1 clock.icount)" = "-accel tcg,thread=single -icount shift=0,sleep=off,align=off -rtc base=2026-01-01T00:00:00,clock=vm" ]
check "icount runs under TCG ($(fp aa2 qemu.accel))" [ "$(fp aa2 qemu.accel)" = tcg ]

"$DAXBENCH" compare label:aa1 label:aa2 --db "$db" --no-store >"$TMP/aa.txt" 2>&1
rc=$?
cat "$TMP/aa.txt"
check "icount A/A exits 0 (got $rc)" [ "$rc" = 0 ]
check "icount A/A: no regression, no improvement" grep -q '^verdict: 0 regressions, 0 improvements' "$TMP/aa.txt"
check "the comparison says its clock" grep -q '^clock icount (guest instructions' "$TMP/aa.txt"
med() { q "$db" "select group_concat(distinct su.median) from summaries su join metrics m on m.id=su.metric_id join runs r on r.id=su.run_id where m.name='$1' and r.label like 'aa_'"; }
for m in fault.dax.read.pte.ns fault.dax.write.pte.ns; do
  check "$m: one per-boot median over 4 icount boots ($(med $m))" [ "$(med $m | tr ',' '\n' | wc -l)" = 1 ]
done

"$DAXBENCH" run --suite compare-quick --clock wall --label wall --db "$db" >/dev/null 2>"$TMP/wall.err"
rc=$?
[ "$rc" = 0 ] || tail -3 "$TMP/wall.err"
check "wall run exits 0 (got $rc)" [ "$rc" = 0 ]
check "fingerprint: clock=wall ($(fp wall clock))" [ "$(fp wall clock)" = wall ]
"$DAXBENCH" compare label:aa1 label:wall --db "$db" --no-store >/dev/null 2>"$TMP/refuse.err"
rc=$?
cat "$TMP/refuse.err"
check "icount against wall refused with exit 1 (got $rc)" [ "$rc" = 1 ]
check "the refusal names the clock" grep -q 'the clock differs (A: icount | B: wall)' "$TMP/refuse.err"
"$DAXBENCH" compare label:aa1 label:wall --db "$db" --no-store --force >"$TMP/forced.txt" 2>&1
rc=$?
check "--force compares (got $rc)" [ "$rc" = 0 -o "$rc" = 3 ]
check "--force lists the clock above the table" grep -q '^  ! clock: icount | wall' "$TMP/forced.txt"

"$DAXBENCH" show --db "$db" "$(q "$db" "select uuid from runs where label='aa1'")" >"$TMP/show.txt"
check "show says the clock" grep -q '^clock icount: icount time counts guest instructions' "$TMP/show.txt"
check "show marks the unit" grep -qE '^  fault\.dax\.read\.pte\.ns +ns \(icount\)' "$TMP/show.txt"
echo "total wall time: $(( $(date +%s) - start )) s"
finish
