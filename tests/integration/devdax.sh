#!/bin/bash
# Boots the default kernel on emulated axonram with workloads/devdax.suite:
# the guest puts its own memmap= namespace in each mode (raw, fsdax
# map=mem/dev, devdax map=dev/mem) and measures what the memmap costs, then
# times PMD faults and runs fio on /dev/dax0.0. The checks tie independent
# instruments together: the RAM the kernel stops counting as free, the
# space sysfs says map=dev reserves on the device, getrusage's fault count.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"
start=$(date +%s)
"$DAXBENCH" run --suite "$XB_SOURCE_ROOT/workloads/devdax.suite" --db "$db" \
  --label integration-devdax >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -5 "$TMP/err"
check "daxbench run --suite devdax exits 0 (got $rc)" [ "$rc" = 0 ]
echo "devdax suite wall time: $(( $(date +%s) - start )) s"
check "one finished run" [ "$(q "$db" "select count(*) from runs where status='finished'")" = 1 ]

samples() {
  q "$db" "select coalesce(sum(s.n),0) from samples s join metrics m on m.id=s.metric_id where m.name='$1'"
}
median() {
  q "$db" "select su.median from summaries su join metrics m on m.id=su.metric_id where m.name='$1'"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

check "the namespace reconfigured is the guest's own" \
  [ "$(q "$db" "select value from fingerprint where key='guest.devdax.namespace'")" = namespace0.0 ]
for m in raw fsdax.mem fsdax.dev devdax.dev; do
  n=$(samples "structpages.$m.struct_page_bytes_per_gib")
  check "structpages.$m: one figure per re-enable ($n)" [ "$n" = 5 ]
done
n=$(samples structpages.devdax.mem.struct_page_bytes_per_gib)
s=$(q "$db" "select count(*) from notes where kind='skip' and subject='structpages.devdax.mem'")
check "devdax map=mem measured ($n) or said unavailable ($s)" [ "$n" = 5 -o "$s" = 1 ]

mem=$(median structpages.fsdax.mem.free_drop.kib)
dev=$(median structpages.fsdax.dev.free_drop.kib)
raw=$(median structpages.raw.free_drop.kib)
check "map=mem costs RAM: $mem KiB for the 512 MiB region" ge "$mem" 1024
check "map=dev costs under a tenth of map=mem's RAM ($dev against $mem KiB)" lt "$dev" "$(( ${mem%.*} / 10 ))"
check "raw (nd_pmem's own memmap) costs what map=mem does ($raw, $mem KiB)" \
  awk -v a="$raw" -v b="$mem" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d <= b / 10) }'
# the memmap map=dev keeps on the device is the one map=mem keeps in RAM
rdev=$(median structpages.fsdax.dev.device_reserved.bytes)
rmem=$(median structpages.fsdax.mem.device_reserved.bytes)
moved=$(awk -v a="$rdev" -v b="$rmem" 'BEGIN { printf "%.0f", (a - b) / 1024 }')
check "map=dev reserves on the device ~ what map=mem costs in RAM ($moved vs $mem KiB)" \
  awk -v a="$moved" -v b="$mem" 'BEGIN { exit !(a >= 0.9 * b && a <= 1.5 * b) }'
u=$(median structpages.fsdax.dev.usable.bytes)
check "map=dev leaves less usable space than map=mem" lt "$u" "$(median structpages.fsdax.mem.usable.bytes)"

# device-dax: every fault maps a whole 2 MiB page (getrusage), timed
for op in read write; do
  n=$(samples "fault.devdax.$op.pmd.ns")
  check "fault.devdax.$op.pmd.ns has samples ($n)" [ "$n" -gt 0 ]
  v=$(median "fault.devdax.$op.pmd.pages_per_fault")
  check "device-dax $op faults are PMD faults: $v pages per fault" [ "${v%.*}" = 512 ]
  check "no device-dax $op fault fell back to 4 KiB" [ "$(samples "fault.devdax.$op.pmd.pte_fallback_ns")" = 0 ]
done
check "the fsdax PMD paths ran beside them" [ "$(samples fault.dax.read.pmd.ns)" -gt 0 ]

if command -v fio >/dev/null; then
  for j in devdax-randread devdax-mmap-randread; do
    v=$(median "fio.devdax.$j.read.iops")
    check "fio.devdax.$j.read.iops is positive ($v)" ge "${v:-0}" 1
  done
else
  check "no fio on the host: recorded unavailable" \
    [ "$(q "$db" "select count(*) from notes where kind='skip' and text like 'fio unavailable%'")" -ge 1 ]
fi
"$DAXBENCH" show --db "$db" | grep -E 'structpages\.[a-z.]+\.(struct_page_bytes_per_gib|device_reserved.bytes) '
finish
