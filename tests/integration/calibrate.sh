#!/bin/bash
# daxbench_inject really adds the work it is asked for: one boot of the
# default kernel without it and one with it at a large planned shift of the
# DAX read fault (workloads/calibrate.suite); the DAX read median must move
# up by at least half the planned shift, and the injected run's fingerprint
# must say so (inject.dax_fault_spin, and the guest's own view of the module:
# spin, probed symbol, hits). Skipped (77) without QEMU or without
# linux-headers for that kernel.
#
# The planned shift comes from a cost per spin iteration known in advance:
# under icount (daxbench run --clock, when this build has it) an iteration
# is 3 instructions, 3 ns exactly (add, cmp, jne), and 10% is planned; on
# the wall clock, one boot a side swings by tens of percent under TCG, so
# 100% is planned from a lower bound of the iteration's cost.
. "$(dirname "$0")/lib.sh"

command -v qemu-system-x86_64 >/dev/null || { echo "SKIP: no qemu-system-x86_64"; exit 77; }
if "$DAXBENCH" run --help | grep -q -- '--clock'; then
  clock=(--clock icount); target=10; ns_per_spin=3
else
  clock=(); target=100; ns_per_spin=0.25   # measured 0.547 on a loaded 2-core TCG host
fi
db="$TMP/results.db"
median() {   # run label -> DAX read median
  q "$db" "select s.median from summaries s join metrics m on m.id=s.metric_id
           join runs r on r.id=s.run_id where r.label='$1' and m.name='$2'"
}
fp() { q "$db" "select f.value from fingerprint f join runs r on r.id=f.run_id where r.label='$1' and f.key='$2'"; }

start=$(date +%s)
"$DAXBENCH" run --suite calibrate "${clock[@]}" --db "$db" --label plain >"$TMP/out" 2>"$TMP/err"
rc=$?
check "baseline boot exits 0 (got $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || { tail -5 "$TMP/err"; finish; exit 1; }
release=$(fp plain kernel.release)
[ -d "/usr/src/linux-headers-$release" ] || {
  echo "SKIP: no linux-headers-$release on the host"; exit 77; }
base=$(median plain fault.dax.read.pte.ns)
spin=$(awk -v b="$base" -v t="$target" -v c="$ns_per_spin" 'BEGIN { printf "%d", b * t / 100 / c + 0.5 }')
echo "baseline DAX read median $base ns: spin $spin for a planned +$target%"
"$DAXBENCH" run --suite calibrate "${clock[@]}" --db "$db" --label injected \
  --inject-dax-spin "$spin" >"$TMP/out" 2>"$TMP/err"
rc=$?
echo "wall time of both boots: $(( $(date +%s) - start )) s"
check "injected boot exits 0 (got $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || { tail -5 "$TMP/err"; finish; exit 1; }

inj=$(median injected fault.dax.read.pte.ns)
moved=$(awk -v a="$base" -v b="$inj" 'BEGIN { printf "%.2f", (b / a - 1) * 100 }')
for m in fault.anon.read.pte.ns fault.pagecache.read.pte.ns; do
  echo "$m: $(median plain $m) -> $(median injected $m)"
done
check "DAX read median moved up by at least half of +$target%: $base -> $inj ns ($moved%)" \
  awk -v m="$moved" -v t="$target" 'BEGIN { exit !(m >= t / 2) }'
check "fingerprint: inject.dax_fault_spin = $spin" [ "$(fp injected inject.dax_fault_spin)" = "$spin" ]
check "fingerprint: the guest's module took spin $spin" \
  [ "$(fp injected guest.inject.dax_fault_spin)" = "$spin" ]
check "fingerprint: probed dax_iomap_pte_fault" \
  [ "$(fp injected guest.inject.symbol)" = dax_iomap_pte_fault ]
check "fingerprint: the probe fired once per DAX read fault (hits $(fp injected guest.inject.hits))" \
  [ "$(fp injected guest.inject.hits)" -ge 16384 ]
check "fingerprint: no inject fact on the plain boot" [ -z "$(fp plain inject.dax_fault_spin)" ]
# The comparison a user would read: refused without --force (an injected
# run is no real kernel), with it the DAX read is a regression and the
# anonymous read, which the probe never touches, is not.
"$DAXBENCH" compare label:plain label:injected --db "$db" --no-store >/dev/null 2>"$TMP/refuse"
rc=$?
check "injected against plain refused without --force (exit 1, got $rc)" [ "$rc" = 1 ]
"$DAXBENCH" compare label:plain label:injected --db "$db" --no-store --force >"$TMP/cmp" 2>&1
rc=$?
grep -E "fault\.(dax|anon)\.read\.pte\.ns +p50" "$TMP/cmp"
check "with --force: exit 3, a regression (got $rc)" [ "$rc" = 3 ]
check "the DAX read fault is the regression" \
  grep -qE "^  fault\.dax\.read\.pte\.ns +p50 .* regression" "$TMP/cmp"
check "the anonymous read fault is not" \
  grep -qE "^  fault\.anon\.read\.pte\.ns +p50 .* no change" "$TMP/cmp"
finish
