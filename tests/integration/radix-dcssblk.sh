#!/bin/bash
# The radix suite's kernel half on dcssblk: `daxbench run --backend
# dcssblk-emu` cross-compiles the daxbench_radix module for Debian's s390x
# kernel (headers unpacked into the cache by scripts/fetch-kheaders, never
# installed), boots the s390x guest on an emulated DCSS, loads the module
# and times xa_load + dax_direct_access() on /dev/dcssblk0 (the real
# dcssblk driver's translation) against xa_load + pfn decode, beside the
# model's dcssblk translation, and in pieces (components = on); then the
# same on /dev/dcssblk1, two more
# segments joined into one device (joined_segments = 2: the multi-DCSS
# shape, radix.kernel.dcssblk_2dcss.*). Skipped (77) only when the
# DCSS-patched QEMU cannot be built here.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"
cat >"$TMP/radix-dcssblk.suite" <<'SUITE'
[suite]
name = radix-dcssblk
description = the radix suite, small, kernel half on /dev/dcssblk0
backend = axonram-emu
fs = ext4
boots = 1

[guest]
smp = 1
timeout = 600

[backend dcssblk-emu]
memory = 1G
segment_size = 64M
share_guests = 0
joined_segments = 2

[bench radix]
sizes = 64M,1G
density = dense,sparse
patterns = uniform
threads = 1
reps = 2
samples = 4
batch = 256
stream = 2048
instructions = off
components = on
SUITE

start=$(date +%s)
"$DAXBENCH" run --backend dcssblk-emu --suite "$TMP/radix-dcssblk.suite" --db "$db" \
  --label integration >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -5 "$TMP/err"
echo "radix on dcssblk-emu wall time: $(( $(date +%s) - start )) s"
if [ "$rc" = 77 ]; then
  grep skipped "$TMP/err" | tail -1
  exit 77
fi
check "daxbench run --backend dcssblk-emu exits 0 (got $rc)" [ "$rc" = 0 ]
[ "$rc" = 0 ] || { tail -30 "$TMP/err"; finish; exit 1; }

fp() { q "$db" "select value from fingerprint where key='$1'"; }
skip=$(q "$db" "select text from notes where kind='skip' and subject='radix.kernel'")
check "the kernel half ran (no skip: '$skip')" [ -z "$skip" ]
check "an s390x guest" [ "$(fp guest.kernel.release | sed 's/.*-//')" = s390x ]
check "the module translated on /dev/dcssblk0" [ "$(fp guest.radix.kernel.device)" = /dev/dcssblk0 ]
count() { q "$db" "select coalesce(sum(s.n),0) from samples s join metrics m on m.id=s.metric_id where m.name like '$1'"; }
# 4 shapes x 1 pattern x 2 reps x 4 batches, for each of the three paths
for path in sector sector_locked pfn; do
  n=$(count "radix.kernel.dcssblk.$path.%.ns")
  check "kernel $path lookups on dcssblk: every shape ($n samples, want 32)" [ "$n" = 32 ]
done
check "no kernel metric named after pmem" [ "$(count 'radix.kernel.pmem.%')" = 0 ]
# components = on: the sector path's cuts, the driver's method found by
# its symbol (dcssblk_dax_direct_access) through a kprobe on s390x
# (once per device, on its first shape: 2 reps x 4 batches)
for cut in load step private method full call icall; do
  n=$(count "radix.kernel.dcssblk.part.$cut.%.ns")
  check "kernel piece $cut on dcssblk, first shape ($n samples, want 8)" [ "$n" = 8 ]
done
check "the pieces noted once for the device" \
  [ "$(q "$db" "select count(*) from notes where subject='radix.kernel.parts' and text like 'dcssblk %translation%'")" = 1 ]
# the multi-DCSS shape: DAXJ1 and DAXJ2 (16M each, back to back) joined as
# /dev/dcssblk1; the 64M file wraps over it, so lookups cross the joint
joined=$(fp guest.radix.kernel.joined_device)
check "a device of two DCSS joined ($joined)" [ "$joined" = "/dev/dcssblk1: DAXJ1:DAXJ2" ]
for path in sector pfn; do
  n=$(count "radix.kernel.dcssblk_2dcss.$path.%.ns")
  check "kernel $path lookups on the joined device: every shape ($n samples, want 32)" [ "$n" = 32 ]
done
check "the joined device's ratios noted beside the one segment's" \
  [ "$(q "$db" "select count(*) from notes where subject='radix.kernel.joined' and text like '%2 DCSS joined%one segment%'")" = 1 ]
n=$(q "$db" "select count(*) from metrics where name like 'radix.compare.dcssblk.sector_pfn_ratio_diff_pct.%'")
check "kernel vs model dcssblk comparison per shape ($n, want 4)" [ "$n" = 4 ]
check "comparison summarised in a note naming dcssblk" \
  [ "$(q "$db" "select count(*) from notes where subject='radix.compare' and text like '%dcssblk, 1 thread%'")" = 1 ]
med() { q "$db" "select median from summaries su join metrics m on m.id=su.metric_id where m.name='$1'"; }
for shape in 64M.dense 1G.sparse; do
  s=$(med radix.kernel.dcssblk.sector.$shape.uniform.t1.ns)
  p=$(med radix.kernel.dcssblk.pfn.$shape.uniform.t1.ns)
  # dcssblk's direct_access (segment bounds, offset) is work the pfn path skips
  check "dcssblk: sector lookup costs more than pfn ($shape: $s > $p ns)" \
    awk -v s="$s" -v p="$p" 'BEGIN { exit !(p > 0 && s > p) }'
done
taint=$(fp guest.kernel.tainted.after_radix_kmod)
check "taint recorded after loading the module ($taint)" [ -n "$taint" ] && [ $(( taint & 4096 )) != 0 ]
cache=${DAXBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxbench}
rel=$(fp kernel.release)
ko=$(ls "$cache"/kmod/$rel-*/daxbench_radix.ko 2>/dev/null | head -1)
check "module cached under the s390x release ($ko)" [ -n "$ko" ]
# ELF e_machine, big-endian at offset 18: 22 is EM_S390
em=$(od -An -tx1 -j18 -N2 "$ko" 2>/dev/null | tr -d ' ')
check "the module is an s390 object (e_machine $em)" [ "$em" = 0016 ]
check "headers unpacked into the cache, not installed" \
  bash -c "[ -f '$cache/kheaders/$rel/.complete' ] && ! dpkg-query -W 'linux-headers-$rel' >/dev/null 2>&1"
finish
