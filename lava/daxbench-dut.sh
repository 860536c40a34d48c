#!/bin/sh
# The steps of lava/daxbench.yaml, on the device under test (POSIX sh: a
# busybox userland runs it). Test cases, in order:
#   daxbench-installed   the daxbench command runs
#   daxbench-run         the native run finished; when it did not, the case
#                        that says why fails instead: daxbench-device-free
#                        (mounted, swap, held), daxbench-device-dax (no DAX
#                        on the mount) or daxbench-run
#   METRIC.bootN         every per-boot median, with measurement and units
#   daxbench-results     the results database is in RESULTS (and uploaded to
#                        UPLOAD_URL, its URL a lava-test-reference)
# Only a finished run's database is handed back: a failed job leaves only
# RESULTS/daxbench-failed.txt, its reason, so nothing half-recorded goes home.
# usage: daxbench-dut.sh DAXBENCH SUITE DEVICE CLOCK LABEL RESULTS [UPLOAD_URL]
set -u
daxbench=$1 suite=$2 device=$3 clock=$4 label=$5 results=$6 upload=${7:-}
work=${TMPDIR:-/tmp}/daxbench-lava.$$
db=$work/results.db

case_() { lava-test-case "$1" --result "$2"; }
failed() {   # failed CASE REASON
  echo "daxbench: $2"
  case_ "$1" fail
  if [ -n "$results" ] && [ -d "$results" ]; then
    printf '%s: %s\n' "$1" "$2" >"$results/daxbench-failed.txt"
  fi
  rm -rf "$work"
  exit 0
}

if [ -n "$results" ]; then
  rm -f "$results/results.db" "$results/results.db-wal" "$results/results.db-shm" \
    "$results/daxbench-failed.txt" "$results/lava-facts.txt"
  [ -d "$results" ] || mkdir -p "$results" 2>/dev/null
fi
if ! "$daxbench" --version >/dev/null 2>&1; then
  failed daxbench-installed "$daxbench is not installed on this device (PATH=$PATH): install daxbench (meson install) or set DAXBENCH"
fi
"$daxbench" --version
case_ daxbench-installed pass
mkdir -p "$work" || failed daxbench-run "cannot create $work"

"$daxbench" run --backend native --device "$device" --suite "$suite" --clock "$clock" \
  --label "$label" --db "$db" >"$work/run.log" 2>&1
rc=$?
cat "$work/run.log"
if [ "$rc" != 0 ]; then
  why=$(grep -m1 -E 'daxbench: |error|failed' "$work/run.log")
  [ -n "$why" ] || why="daxbench run exited with status $rc"
  if grep -qE 'is mounted at|is an active swap area|is held by|is in use' "$work/run.log"; then
    failed daxbench-device-free "$device is in use: $why"
  elif grep -qE 'DAX requested but not active| -o dax' "$work/run.log"; then
    failed daxbench-device-dax "$device gives no DAX: $why"
  fi
  failed daxbench-run "$why"
fi
case_ daxbench-run pass

"$daxbench" show --db "$db" --medians latest >"$work/medians" ||
  failed daxbench-results "daxbench show --medians failed"
while read -r name result value unit; do
  lava-test-case "$name" --result "$result" --measurement "$value" --units "$unit"
done <"$work/medians"

if [ -n "$results" ]; then
  # the job's facts as the DUT saw them; `daxbench ingest-lava` checks them
  { echo "lava.job_id=${LAVA_JOB_ID:-}"; echo "dut.hostname=$(hostname)"; } >"$work/lava-facts.txt"
  if cp "$work/lava-facts.txt" "$results/lava-facts.txt" && cp "$db" "$results/results.db.tmp" &&
     mv "$results/results.db.tmp" "$results/results.db"; then
    case_ daxbench-results pass
  else
    rm -f "$results/results.db.tmp" "$results/results.db"
    failed daxbench-results "cannot write the results database into $results"
  fi
fi
if [ -n "$upload" ]; then
  if url=$(curl -fsS -F "path=@$db" "$upload") && [ -n "$url" ]; then
    lava-test-reference daxbench-results-db --result pass --reference "$url"
  else
    failed daxbench-upload "uploading the results database to $upload failed"
  fi
fi
rm -rf "$work"
