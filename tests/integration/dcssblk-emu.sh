#!/bin/bash
# The real dcssblk driver on an emulated z/VM DCSS: builds the patched QEMU
# (scripts/build-qemu-dcss; skipped with 77 only when that cannot be done
# here), boots Debian's s390x 6.1 kernel with a segment holding an ext4
# image, checks that the guest sees z/VM, that dcssblk adds the segment and
# mounts it with dax=always, and records the capability probes and a
# fault-latency run with `daxbench ingest`.
. "$(dirname "$0")/lib.sh"
SRC="${XB_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}"

"$SRC/scripts/build-qemu-dcss" > "$TMP/qemu-path" 2> "$TMP/qemu-build.log"
rc=$?
if [ $rc = 77 ]; then
  echo "skipped: the patched QEMU cannot be built here: $(tail -1 "$TMP/qemu-build.log")"
  exit 77
fi
check "patched QEMU builds" test $rc = 0
[ $rc = 0 ] || { tail -20 "$TMP/qemu-build.log"; finish; exit 1; }

out="$TMP/boot"
"$SRC/scripts/dcssblk-emu-boot" "$out" 2> "$TMP/boot.log"
rc=$?
cat "$TMP/boot.log"
if [ $rc = 77 ]; then
  echo "skipped: $(grep skipped "$TMP/boot.log" | tail -1)"
  exit 77
fi
check "s390x guest booted and its stream ended" test $rc = 0
con="$out/console.log"
check "guest sees z/VM (STSI 3.2.2)" grep -aq "xb: control program z/VM" "$con"
check "dcssblk added the segment" grep -aq "xb: dcssblk added DAXSEG" "$con"
check "segment mounted with dax=always" grep -aq "xb: mounted with dax=always" "$con"
check "file made on the host read through DAX" grep -aq "xb: hello from the host" "$con"
check "exclusive-writable reload" grep -aq "xb: exclusive-writable" "$con"

db="$TMP/r.db"
facts=()
while IFS= read -r f; do facts+=(--fact "$f"); done < "$out/facts"
check "stream ingested" "$DAXBENCH" ingest --db "$db" --stream "$out/stream" \
  --backend dcssblk-emu --suite dcssblk-emu "${facts[@]}"
check "kernel support in the fingerprint" test \
  "$(q "$db" "SELECT value FROM fingerprint WHERE key = 'kernel.config.FS_DAX_LIMITED'")" = y
n=$(q "$db" "SELECT n FROM summaries s JOIN metrics m ON m.id = s.metric_id WHERE m.name = 'fault.dax.read.pte.ns'")
check "fault.dax.read.pte.ns has samples ($n)" test "${n:-0}" -gt 0
check "dax was active in the guest" test "$(q "$db" "SELECT value FROM fingerprint WHERE key = 'guest.dax.active'")" = always
check "capability matrix has a dcssblk-emu column" \
  sh -c "'$DAXBENCH' capabilities --db '$db' | grep -q dcssblk-emu"
"$DAXBENCH" capabilities --db "$db"
finish
