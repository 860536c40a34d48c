#!/bin/bash
# Boots the default kernel on emulated axonram and runs the full suite:
# every fault path in the database, attributed by fs_dax tracepoints,
# with the throughput cross-check stored beside the per-fault figures; then
# the region as device-dax and the struct-page cost per namespace mode.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"
start=$(date +%s)
"$DAXBENCH" run --suite full --db "$db" --label integration-full >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -5 "$TMP/err"
check "daxbench run --suite full exits 0 (got $rc)" [ "$rc" = 0 ]
echo "full suite wall time: $(( $(date +%s) - start )) s"
check "one finished run" [ "$(q "$db" "select count(*) from runs where status='finished'")" = 1 ]

samples() {
  q "$db" "select coalesce(sum(s.n),0) from samples s join metrics m on m.id=s.metric_id where m.name='$1'"
}
median() {
  q "$db" "select su.median from summaries su join metrics m on m.id=su.metric_id where m.name='$1'"
}

for p in read.pte write.pte mkwrite.pte refault.read.pte refault.write.pte private.read.pte \
         private.write.pte sync.write.pte sync.hole.write.pte hole.read.pte hole.write.pte \
         read.pmd write.pmd read.pmd_misaligned write.pmd_misaligned; do
  n=$(samples "fault.dax.$p.ns")
  check "fault.dax.$p.ns has samples ($n)" [ "$n" -gt 0 ]
  for s in tput_ns tput_batch_ns tput_vs_median_pct tput_vs_mean_pct tput_vs_batch_pct \
           tput_vs_timed_pct tput_same_pass pages_per_fault minflt majflt below_res \
           pagemap_between; do
    n=$(samples "fault.dax.$p.$s")
    check "fault.dax.$p.$s stored ($n)" [ "$n" -gt 0 ]
  done
  n=$(samples "fault.dax.$p.trace.dax_pte_fault_done")
  check "fault.dax.$p attributed by fs_dax tracepoints ($n)" [ "$n" -gt 0 ]
done
for m in pagecache anon; do
  for p in read.pte write.pte mkwrite.pte; do
    n=$(samples "fault.$m.$p.ns")
    check "fault.$m.$p.ns baseline has samples ($n)" [ "$n" -gt 0 ]
  done
  # a PMD path keeps 2 MiB faults and 4 KiB fallbacks apart; ext4's page
  # cache has no huge pages on 6.1, so there all of them are fallbacks
  for p in read.pmd write.pmd; do
    n=$(( $(samples "fault.$m.$p.ns") + $(samples "fault.$m.$p.pte_fallback_ns") ))
    check "fault.$m.$p baseline has samples, PMD or fallback ($n)" [ "$n" -gt 0 ]
  done
done
for p in refault.read.pte private.write.pte hole.read.pte hole.write.pte; do
  n=$(samples "fault.pagecache.$p.ns")
  check "fault.pagecache.$p.ns baseline has samples ($n)" [ "$n" -gt 0 ]
done

# What the kernel did, from its tracepoints (not from our own bookkeeping)
v=$(median fault.dax.hole.read.pte.trace.dax_load_hole)
check "a hole read maps the zero page: dax_load_hole per page ($v)" [ "${v%.*}" = 4096 ]
v=$(median fault.dax.private.write.pte.trace.dax_pte_fault_done.DONE_COW)
check "a private write copies on write: DONE_COW per page ($v)" [ "${v%.*}" = 4096 ]
v=$(median fault.dax.read.pmd_misaligned.pmd_fallbacks)
check "a misaligned PMD mapping falls back on every 2 MiB ($v)" [ "${v%.*}" = 8 ]
v=$(median fault.dax.read.pmd.trace.dax_pmd_fault)
check "the aligned PMD path tries a PMD fault per 2 MiB ($v)" [ "${v%.*}" = 8 ]
fb=$(median fault.dax.read.pmd.pmd_fallbacks)
w=$(q "$db" "select count(*) from notes where subject='faultpath.dax' and text like 'read.pmd: % fell back%'")
if [ "${fb%.*}" -gt 0 ]; then
  check "PMD fallbacks ($fb) are said in a warning" [ "$w" -ge 1 ]
else
  check "no PMD fallback, no fallback warning" [ "$w" = 0 ]
fi
# DAX maps one page a fault: no pagemap read between the timed touches;
# the page cache's fault-around needs it to tell faults apart
v=$(median fault.dax.read.pte.pagemap_between)
check "DAX read timed with nothing between touches ($v)" [ "${v%.*}" = 0 ]
v=$(median fault.pagecache.read.pte.pagemap_between)
check "page-cache read told apart by pagemap (fault-around) ($v)" [ "${v%.*}" = 1 ]

# perf stat in the guest, or unavailable with the reason (never a zero)
if [ -x /usr/bin/perf ] && head -c4 /usr/bin/perf | grep -q ELF; then
  for t in dax devdax; do
    for p in read.pte write.pmd; do
      pf=$(median "fault.$t.$p.perf.page-faults")
      own=$(median "fault.$t.$p.minflt")
      check "perf counted fault.$t.$p's page faults ($pf) as the timed pass did ($own)" \
        awk -v a="$pf" -v b="$own" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(a > 0 && d <= 4 + b / 100) }'
      v=$(median "fault.$t.$p.perf.task-clock")
      check "perf task-clock of fault.$t.$p is positive ($v ns)" awk -v v="$v" 'BEGIN { exit !(v > 0) }'
    done
  done
  n=$(q "$db" "select count(*) from notes where text like 'perf unavailable%'")
  check "perf ran on every target (no 'perf unavailable' note: $n)" [ "$n" = 0 ]
  for e in cycles instructions; do
    n=$(samples "fault.dax.read.pte.perf.$e")
    u=$(q "$db" "select count(*) from notes where kind='skip' and text like 'perf.$e unavailable on dax%'")
    v=$(median "fault.dax.read.pte.perf.$e")
    check "perf.$e: counted (positive: ${v:-none}) or unavailable with a reason ($u)" \
      bash -c "[ '$n' -gt 0 ] && awk -v v='$v' 'BEGIN { exit !(v > 0) }' || [ '$u' = 1 ]"
  done
else
  check "no perf on the host: recorded unavailable" \
    [ "$(q "$db" "select count(*) from notes where kind='skip' and text like 'perf unavailable%'")" -ge 1 ]
fi

v=$(q "$db" "select count(*) from fingerprint where key='timer.getres.ns' or key='guest.timer.getres.ns'")
check "timer resolution stored with the run" [ "$v" -ge 1 ]
check "timer overhead measured" [ "$(samples timer.overhead.ns)" -gt 0 ]

# fio ran inside the guest on both mounts, or says why not (never a zero)
if command -v fio >/dev/null; then
  for m in dax pagecache; do
    n=$(samples "fio.$m.mmap-randread.read.iops")
    check "fio.$m.mmap-randread.read.iops stored ($n)" [ "$n" = 1 ]
    v=$(median "fio.$m.mmap-randread.read.iops")
    check "fio IOPS on $m is positive ($v)" awk -v v="$v" 'BEGIN { exit !(v > 0) }'
  done
  check "fio version in the fingerprint" \
    [ "$(q "$db" "select count(*) from fingerprint where key like '%fio.version'")" -ge 1 ]
else
  check "no fio on the host: recorded unavailable" \
    [ "$(q "$db" "select count(*) from notes where kind='skip' and text like 'fio unavailable%'")" -ge 1 ]
fi

"$DAXBENCH" show --db "$db" >"$TMP/show"
check "show prints p99.9" grep -q 'P99.9' "$TMP/show"
check "show prints the cross-check" grep -q 'fault.dax.read.pte.tput_vs_median_pct' "$TMP/show"
"$DAXBENCH" show --db "$db" --fault-table >"$TMP/table"
check "fault table has a row per path" [ "$(grep -c '^| [a-z]' "$TMP/table")" -ge 15 ]
cat "$TMP/table"

# The same region as device-dax (workloads/full.suite's devdax target): the
# guest puts its own memmap= namespace in each mode and measures what the
# memmap costs, then times PMD faults and runs fio on /dev/dax0.0. The
# checks tie independent instruments together: the RAM the kernel stops
# counting as free, the space sysfs says map=dev reserves on the device,
# getrusage's fault count.
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

# device-dax maps its alignment: 4 KiB aligned one page a fault, 2 MiB
# aligned a whole 2 MiB page (getrusage), each fault timed
for op in read write; do
  v=$(median "fault.devdax.$op.pte.pages_per_fault")
  check "device-dax $op faults 4 KiB aligned map one page: $v pages per fault" [ "${v%.*}" = 1 ]
done
for op in read write; do
  n=$(samples "fault.devdax.$op.pmd.ns")
  check "fault.devdax.$op.pmd.ns has samples ($n)" [ "$n" -gt 0 ]
  v=$(median "fault.devdax.$op.pmd.pages_per_fault")
  check "device-dax $op faults are PMD faults: $v pages per fault" [ "${v%.*}" = 512 ]
  check "no device-dax $op fault fell back to 4 KiB" [ "$(samples "fault.devdax.$op.pmd.pte_fallback_ns")" = 0 ]
done

if command -v fio >/dev/null; then
  for j in devdax-randread devdax-mmap-randread; do
    v=$(median "fio.devdax.$j.read.iops")
    check "fio.devdax.$j.read.iops is positive ($v)" ge "${v:-0}" 1
  done
fi
"$DAXBENCH" show --db "$db" | grep -E 'structpages\.[a-z.]+\.(struct_page_bytes_per_gib|device_reserved.bytes) '
finish
