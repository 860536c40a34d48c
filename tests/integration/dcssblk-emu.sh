#!/bin/bash
# The real dcssblk driver on an emulated z/VM DCSS, through `daxbench run`:
# the DCSS-patched QEMU is built (scripts/build-qemu-dcss; skipped with 77
# only when that cannot be done here), Debian's s390x 6.1 kernel boots with
# a segment, the guest sees z/VM, dcssblk adds the segment, it is mounted
# with dax=always, and the capability probes and a fault-latency run are
# recorded. Then two guests load one shared segment (type SR) holding a
# host-made ext4 image and read it through DAX: the host sees the segment's
# pages shared between the two QEMUs.
. "$(dirname "$0")/lib.sh"

db="$TMP/r.db"
"$DAXBENCH" run --suite dcssblk-emu --db "$db" > "$TMP/run.out" 2> "$TMP/run.err"
rc=$?
cat "$TMP/run.out"
if [ $rc = 77 ]; then
  echo "$(grep skipped "$TMP/run.err" | tail -1)"
  exit 77
fi
check "daxbench run --suite dcssblk-emu finished (exit $rc)" test $rc = 0
[ $rc = 0 ] || { tail -30 "$TMP/run.err"; }
art=$(q "$db" "SELECT artifacts FROM runs")
con="$art/boot0-console.log"
check "guest sees z/VM (STSI 3.2.2)" grep -aq "daxbench-guest: control program z/VM" "$con"
check "dcssblk added the segment" grep -aq "daxbench-guest: dcssblk added DAXSEG" "$con"
check "exclusive-writable reload" grep -aq "daxbench-guest: dcssblk segment exclusive-writable" "$con"
fp() { q "$db" "SELECT value FROM fingerprint WHERE key = '$1'"; }
check "dax was active in the guest" test "$(fp guest.dax.active)" = always
check "the DAX mount says dax=always" sh -c "echo '$(fp guest.mount.dax.opts)' | grep -q dax=always"
check "kernel support in the fingerprint" test "$(fp kernel.config.FS_DAX_LIMITED)" = y
check "dcssblk in the fingerprint" sh -c "test '$(fp kernel.config.DCSSBLK)' = m || test '$(fp kernel.config.DCSSBLK)' = y"
check "an s390x guest" test "$(fp guest.kernel.release | sed 's/.*-//')" = s390x
m() { q "$db" "SELECT s.$2 FROM summaries s JOIN metrics m ON m.id = s.metric_id WHERE m.name = '$1'"; }
n=$(m fault.dax.read.pte.ns n)
check "fault.dax.read.pte.ns has samples ($n)" test "${n:-0}" -gt 0
check "capability matrix has a dcssblk-emu column" \
  sh -c "'$DAXBENCH' capabilities --db '$db' | grep -q dcssblk-emu"

# the sharing group: both guests read the shared segment through DAX
p=share.dcssblk-emu.n2
check "both sharing guests added the SR segment shared" \
  test "$(grep -al 'dcssblk added DAXSHR shared=1' "$art"/share-g*-console.log | wc -l)" = 2
rss=$(m $p.segment.rss.kib min); pss=$(m $p.segment.pss.kib max); ng=$(m $p.segment.rss.kib n)
echo "segment mapping per QEMU: Rss >= $rss KiB, Pss <= $pss KiB, n=$ng"
check "each QEMU measured (n=$ng)" test "${ng:-0}" = 2
# 8 MiB of data read by each guest: the mapping holds at least that
check "each guest's reads reached the segment's host pages (Rss $rss KiB)" \
  awk -v r="${rss:-0}" 'BEGIN { exit !(r >= 8192) }'
# shared by two: Pss about half of Rss (private pages would make it equal)
check "segment pages shared between the QEMUs (Pss $pss <= 0.6 x Rss $rss)" \
  awk -v r="${rss:-0}" -v p="${pss:-1e18}" 'BEGIN { exit !(p <= 0.6 * r) }'
cached=$(m $p.host.image_cached.kib max)
check "host page cache holds the segment file once ($cached KiB, less than 2 x Rss)" \
  awk -v c="${cached:-0}" -v r="${rss:-0}" 'BEGIN { exit !(c >= r && c < 2 * r) }'
for prog in busybox true; do
  check "exec of $prog from the segment: cold and warm" \
    test "$(m $p.exec.$prog.cold.us n)" = 1 -a "$(m $p.exec.$prog.warm.us n)" -ge 2
done
check "guest reads through DAX left the guest page cache alone" \
  awk -v d="$(m $p.guest.cached_delta.kib max)" 'BEGIN { exit !(d < 4096) }'
"$DAXBENCH" capabilities --db "$db"
finish
