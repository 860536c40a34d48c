#!/bin/bash
# Device safety: daxbench formats only a device named on its command line,
# never one that is mounted, and --dry-run formats nothing. A decoy loop
# device carrying a filesystem must come out byte-for-byte unchanged.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: loop devices need root"; exit 77; }
command -v losetup >/dev/null || { echo "skipped: no losetup"; exit 77; }
suite="$(dirname "$0")/native-pagecache.suite"
db="$TMP/results.db"
LOOPS=()
cleanup() {
  umount "$TMP/decoy-mnt" 2>/dev/null
  for l in "${LOOPS[@]}"; do losetup -d "$l" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

loop() { local l; l=$(losetup --find --show "$1") || return 1; LOOPS+=("$l"); echo "$l"; }
truncate -s 64M "$TMP/decoy.img" "$TMP/target.img"
mkfs.ext4 -q -F "$TMP/decoy.img"
decoy=$(loop "$TMP/decoy.img") || { echo "skipped: no loop device available"; exit 77; }
target=$(loop "$TMP/target.img") || { echo "skipped: no second loop device"; exit 77; }
mkdir -p "$TMP/decoy-mnt"
mount "$decoy" "$TMP/decoy-mnt" && echo "precious data" >"$TMP/decoy-mnt/keep" && umount "$TMP/decoy-mnt"
sync
decoy_sum=$(sha256sum <"$TMP/decoy.img")
target_sum=$(sha256sum <"$TMP/target.img")

# no device named: refused, nothing touched
"$DAXBENCH" run --suite "$suite" --db "$db" 2>"$TMP/err"
check "native without --device refused" [ $? = 1 ]
check "  ... saying to name one" grep -q "give --device" "$TMP/err"

# --dry-run: says what it would format, formats nothing
"$DAXBENCH" run --suite "$suite" --device "$target" --dry-run >"$TMP/out" 2>&1
check "dry run exits 0" [ $? = 0 ]
check "dry run names the mkfs and the device" grep -q "would format $target with: /sbin/mke2fs" "$TMP/out"
sync
check "dry run left the target unchanged" [ "$(sha256sum <"$TMP/target.img")" = "$target_sum" ]

# a real run against the target: it is formatted and measured; the decoy is not touched
"$DAXBENCH" run --suite "$suite" --device "$target" --db "$db" >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out" "$TMP/err"
check "native run on the target finishes (got $rc)" [ "$rc" = 0 ]
check "page-cache fault samples recorded" [ "$(q "$db" "select count(*) from samples s join metrics m on m.id=s.metric_id where m.name='fault.pagecache.read.pte.ns'")" = 1 ]
check "fingerprint names the device" [ "$(q "$db" "select value from fingerprint where key='backend.device'")" = "$target" ]
sync
check "the target was formatted" [ "$(sha256sum <"$TMP/target.img")" != "$target_sum" ]
check "the decoy is byte-for-byte unchanged" [ "$(sha256sum <"$TMP/decoy.img")" = "$decoy_sum" ]

# DAX asked of a device that has none: an error, never a page-cache result
"$DAXBENCH" run --backend native --device "$target" --db "$db" >"$TMP/out" 2>&1
check "DAX on a non-DAX device: run fails" [ $? = 1 ]
cat "$TMP/out"
check "  ... recorded as failed, reason names DAX" \
  [ "$(q "$db" "select count(*) from runs where status='failed' and reason like '%dax%'")" = 1 ]

# a native run interrupted mid-way leaves no mount behind
"$DAXBENCH" run --suite "$(dirname "$0")/native-long.suite" --device "$target" --db "$db" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 300); do grep -q "^$target " /proc/mounts && break; sleep 0.1; done
sleep 1
check "interrupted native run: the target was mounted" grep -q "^$target " /proc/mounts
kill -INT $pid; wait $pid; rc=$?
check "interrupted native run exits 130 (got $rc)" [ "$rc" = 130 ]
check "interrupted native run: no mount left" bash -c "! grep -q '^$target ' /proc/mounts"
check "interrupted native run recorded as failed" \
  [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'interrupted%'")" = 1 ]

# the decoy, mounted (read-only, so nothing writes to it): naming it is refused
mount -o ro,noload "$decoy" "$TMP/decoy-mnt"
"$DAXBENCH" run --suite "$suite" --device "$decoy" --db "$db" 2>"$TMP/err"
check "mounted decoy refused" [ $? = 1 ]
cat "$TMP/err"
check "  ... saying where it is mounted" grep -q "is mounted at $TMP/decoy-mnt" "$TMP/err"
"$DAXBENCH" run --suite "$suite" --device "$decoy" --dry-run >/dev/null 2>&1
check "  ... by --dry-run too" [ $? = 1 ]
umount "$TMP/decoy-mnt"
sync
check "decoy still byte-for-byte unchanged" [ "$(sha256sum <"$TMP/decoy.img")" = "$decoy_sum" ]
check "no leftover mounts of the target" bash -c "! grep -q '^$target ' /proc/mounts"
finish
