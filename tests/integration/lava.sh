#!/bin/bash
# daxbench on a LAVA fleet, for real: `lava-run` (no server) boots a QEMU TCG
# guest of the default Debian kernel with memmap= pmem on lava/make-rootfs's
# initramfs (daxbench from `meson install`), lava/daxbench.yaml runs the
# native backend on /dev/pmem0 with DAX, LAVA records every per-boot median
# as a test case, and `daxbench ingest-lava` takes the results database home
# with the job's facts. The same suite on axonram-emu is the comparison: the
# two differ by backend, which compare names instead of mixing them. Then
# one more job, three bad runs (daxbench missing, /dev/pmem0 mounted, a
# device without DAX): each a failed test case saying why, nothing recorded.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: the native backend formats a device: root"; exit 77; }
command -v lava-run >/dev/null || { echo "skipped: no lava-run (scripts/install-deps installs lava-dispatcher)"; exit 77; }
src=${XB_SOURCE_ROOT:?set by meson}
# LAVA splits QEMU options at spaces, and $TMP has one on purpose
L=$(mktemp -d /tmp/daxbench-lava.XXXXXX)
trap 'rm -rf "$TMP" "$L"' EXIT
suite_file="$(dirname "$0")/lava.suite"
db="$TMP/results.db"
lava_version=$(dpkg-query -W -f='${Version}' lava-dispatcher 2>/dev/null)

# the comparison run, which also brings the default kernel into the cache
"$DAXBENCH" run --suite "$suite_file" --clock wall --db "$db" --label emu >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -3 "$TMP/err"
check "axonram-emu run of the suite exits 0 (got $rc)" [ "$rc" = 0 ]
pkg=$(q "$db" "select value from fingerprint where key='kernel.package'")
ver=$(q "$db" "select value from fingerprint where key='kernel.package_version'")
rel=$(q "$db" "select value from fingerprint where key='kernel.release'")
kroot="${DAXBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxbench}/kernels/$pkg/$ver/root"
[ -f "$kroot/boot/vmlinuz-$rel" ] || { echo "FAIL: no unpacked kernel at $kroot"; exit 1; }

# the guest's userland and the test definitions (a git repository, as LAVA fetches them)
start=$(date +%s)
"$src/lava/make-rootfs" --build "$XB_BUILD_ROOT" --modules "$kroot/lib/modules/$rel" \
  --out "$L/rootfs.cpio.gz"
check "make-rootfs built the initramfs" [ -s "$L/rootfs.cpio.gz" ]
echo "make-rootfs: $(( $(date +%s) - start )) s"
mkdir -p "$L/testdefs/lava" "$L/shared"
cp "$src/lava/daxbench.yaml" "$src/lava/daxbench-dut.sh" "$L/testdefs/lava/"
cp "$suite_file" "$L/testdefs/lava/lava.suite"
git -C "$L/testdefs" init -q && git -C "$L/testdefs" add -A &&
  git -C "$L/testdefs" -c user.name=test -c user.email=test@localhost commit -qm testdefs
sed "s|@SHARED@|$L/shared|" "$src/lava/devices/qemu-daxbench.yaml" >"$L/device.yaml"
render() {
  sed -e "s|@KERNEL@|$kroot/boot/vmlinuz-$rel|" -e "s|@ROOTFS@|$L/rootfs.cpio.gz|" \
      -e "s|@TESTDEFS@|$L/testdefs|" -e "s|@SUITE@|./lava/lava.suite|" "$1" >"$2"
}
render "$src/lava/qemu-job.yaml" "$L/job.yaml"
render "$(dirname "$0")/lava-bad-job.yaml" "$L/bad-job.yaml"

# a LAVA result of the job log: result (or measurement) of CASE in DEFINITION
result() {
  grep '"lvl": "results"' "$1" | grep -F "\"case\": \"$2\"" | grep -F "\"definition\": \"$3\"" |
    sed -n "s/.*\"$4\": [! ]*\"\\{0,1\\}\\([-a-z0-9.e+]*\\).*/\\1/p" | tail -1
}

# the job
start=$(date +%s)
lava-run --job-id 1 --output-dir "$L/lava-out" --device "$L/device.yaml" "$L/job.yaml" \
  >"$TMP/lava.log" 2>&1
rc=$?
echo "lava job wall time: $(( $(date +%s) - start )) s"
check "lava-run exits 0 (got $rc)" [ "$rc" = 0 ]
log="$TMP/lava.log"
check "LAVA: the job passed" [ "$(result "$log" job lava result)" = pass ]
check "LAVA: daxbench is installed in the guest" [ "$(result "$log" daxbench-installed 0_daxbench result)" = pass ]
check "LAVA: the native run passed" [ "$(result "$log" daxbench-run 0_daxbench result)" = pass ]
check "LAVA: the results database was handed back" [ "$(result "$log" daxbench-results 0_daxbench result)" = pass ]
n=$(grep '"lvl": "results"' "$log" | grep -F '"definition": "0_daxbench"' | grep -c '"measurement"')
check "LAVA recorded measurements ($n)" [ "$n" -gt 10 ]
m=$(result "$log" fault.dax.read.pte.ns.boot0 0_daxbench measurement)
check "LAVA: a DAX read fault median with units ns ($m)" \
  awk -v m="$m" -v u="$(result "$log" fault.dax.read.pte.ns.boot0 0_daxbench units)" \
  'BEGIN { exit !(m > 0 && u == "ns") }'
if [ "$rc" != 0 ] || [ ! -f "$L/shared/results.db" ]; then
  grep '"lvl": "target"' "$log" | tail -40
fi

# home
"$DAXBENCH" ingest-lava --db "$db" --job-id 1 --device-type qemu --dut qemu-daxbench01 \
  --lava-version "$lava_version" "$L/shared"
check "ingest-lava exits 0" [ $? = 0 ]
run=$(q "$db" "select run_id from fingerprint where key='lava.job_id' and value='1'")
fp() { q "$db" "select value from fingerprint where run_id='$run' and key='$1'"; }
check "the LAVA run is home, finished" [ "$(q "$db" "select status from runs where id='${run:-0}'")" = finished ]
check "  ... with the LAVA facts" [ "$(fp lava.device_type)/$(fp lava.dut)/$(fp lava.version)" = "qemu/qemu-daxbench01/$lava_version" ]
check "  ... native on /dev/pmem0, run by the DUT ($(fp host))" \
  [ "$(fp backend)/$(fp backend.device)/$(fp host)" = native//dev/pmem0/daxbench-dut ]
check "  ... DAX confirmed on the mount ($(fp guest.mount.dax.opts), queue/dax $(fp guest.device.dax))" \
  [ "$(fp guest.dax.active)/$(fp guest.device.dax)" = always/1 ]
check "  ... the kernel under test ($(fp kernel.release))" [ "$(fp kernel.release)" = "$rel" ]
dbm=$(q "$db" "select printf('%.6g', su.median) from summaries su join metrics mt on mt.id=su.metric_id where su.run_id='$run' and mt.name='fault.dax.read.pte.ns' and su.boot=0")
check "  ... the median LAVA recorded is the database's ($m = $dbm)" awk -v a="$m" -v b="$dbm" 'BEGIN { exit !(a == b && a > 0) }'
"$DAXBENCH" ingest-lava --db "$db" --job-id 1 --device-type qemu --dut qemu-daxbench01 "$L/shared" >"$TMP/out"
check "a second ingest adds nothing ($(cat "$TMP/out"))" grep -q "0 runs added, 1 already present" "$TMP/out"
check "two runs at home" [ "$(q "$db" "select count(*) from runs")" = 2 ]
"$DAXBENCH" ingest-lava --db "$db" --job-id 99 --device-type qemu --dut qemu-daxbench01 "$L/shared" 2>"$TMP/err"
rc=$?
check "another job's results refused (exit $rc: $(cat "$TMP/err"))" \
  [ "$rc/$(grep -c "holds the results of LAVA job 1, not of job 99" "$TMP/err")" = 1/1 ]
check "  ... nothing recorded" [ "$(q "$db" "select count(*) from fingerprint where key='lava.job_id' and value='99'")" = 0 ]

# native (LAVA) against axonram-emu: the backend difference is named, not mixed
emu=$(q "$db" "select id from runs where label='emu'")
"$DAXBENCH" compare --db "$db" --no-store "$emu" "$run" >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/err"
check "compare refuses to mix backends (exit $rc)" [ "$rc/$(grep -c "backend differs" "$TMP/err")" = 1/1 ]
"$DAXBENCH" compare --db "$db" --no-store --force "$emu" "$run" >"$TMP/out" 2>&1
cat "$TMP/out"
check "compare --force lists the backend difference" grep -q "! backend: axonram-emu | native" "$TMP/out"

# bad jobs: each a failed test case that says why; nothing comes home
before=$(q "$db" "select count(*) from runs")
start=$(date +%s)
lava-run --job-id 2 --output-dir "$L/lava-out2" --device "$L/device.yaml" "$L/bad-job.yaml" \
  >"$TMP/bad.log" 2>&1
echo "bad-job wall time: $(( $(date +%s) - start )) s"
bad="$TMP/bad.log"
grep -E '"lvl": "(error|exception)"' "$bad"
targets() { grep '"lvl": "target"' "$bad"; }
check "missing daxbench: daxbench-installed fails" [ "$(result "$bad" daxbench-installed 0_missing result)" = fail ]
check "  ... saying so" bash -c "grep '\"lvl\": \"target\"' '$bad' | grep -q 'daxbench: /opt/nowhere/daxbench is not installed'"
check "setup: /dev/pmem0 mounted" [ "$(result "$bad" mount-pmem0 1_mount-pmem0 result)" = pass ]
check "mounted /dev/pmem0: daxbench-device-free fails" [ "$(result "$bad" daxbench-device-free 2_mounted result)" = fail ]
check "  ... saying where it is mounted" bash -c "grep '\"lvl\": \"target\"' '$bad' | grep -q 'is mounted at /mnt/busy'"
check "setup: /dev/ram0 exists" [ "$(result "$bad" ram0 3_ram0 result)" = pass ]
check "no DAX on /dev/ram0: daxbench-device-dax fails" [ "$(result "$bad" daxbench-device-dax 4_nodax result)" = fail ]
check "  ... saying so" bash -c "grep '\"lvl\": \"target\"' '$bad' | grep -q 'daxbench: /dev/ram0 gives no DAX'"
check "no bad run reported a measurement" bash -c "! grep '\"lvl\": \"results\"' '$bad' | grep -q measurement"
check "the bad job handed back no results.db" [ ! -e "$L/shared/results.db" ]
"$DAXBENCH" ingest-lava --db "$db" --job-id 2 --device-type qemu --dut qemu-daxbench01 "$L/shared" 2>"$TMP/err"
rc=$?
cat "$TMP/err"
check "ingest-lava of the bad job fails (exit $rc), naming the reason" \
  [ "$rc/$(grep -c "failed on qemu-daxbench01: daxbench-device-dax" "$TMP/err")" = 1/1 ]
check "  ... and records nothing" [ "$(q "$db" "select count(*) from runs")" = "$before" ]
finish
