#!/bin/bash
# Interrupts a sharing experiment while two guests run (SIGINT, then a
# second run with SIGTERM): every QEMU it started is gone, the run is
# recorded as failed with the reason, no temporary image file is left, and
# the host's KSM settings are as before.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || { echo "skipped: daxbench share runs as root"; exit 77; }
db="$TMP/results.db"
ksm0=$(cat /sys/kernel/mm/ksm/run 2>/dev/null)
for sig in INT TERM; do
  "$DAXBENCH" share --modes ksm,dax --min-guests 2 --max-guests 2 --no-exec --db "$db" \
    >"$TMP/out" 2>"$TMP/err" &
  pid=$!
  qemus=""
  for _ in $(seq 600); do    # up to 5 min (the image may be built first)
    qemus=$(pgrep -P "$pid" -f qemu-system | tr '\n' ' ')
    [ "$(wc -w <<<"$qemus")" = 2 ] && break
    sleep 0.5
  done
  check "SIG$sig: two guests were running ($qemus)" [ "$(wc -w <<<"$qemus")" = 2 ]
  sleep 3
  kill -$sig "$pid"
  wait "$pid"; rc=$?
  want=$([ $sig = INT ] && echo 130 || echo 143)
  check "SIG$sig: exit status $want (got $rc)" [ "$rc" = "$want" ]
  left=0
  for p in $qemus; do kill -0 "$p" 2>/dev/null && left=$((left + 1)); done
  check "SIG$sig: no QEMU left ($left)" [ "$left" = 0 ]
  check "SIG$sig: host KSM run restored ($(cat /sys/kernel/mm/ksm/run) vs $ksm0)" \
    [ "$(cat /sys/kernel/mm/ksm/run 2>/dev/null)" = "$ksm0" ]
done
check "both runs recorded as failed" \
  [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'interrupted%'")" = 2 ]
tmps=$(find "${DAXBENCH_CACHE:-$HOME/.cache/daxbench}/usr-image" -name '*.tmp' 2>/dev/null | wc -l)
check "no temporary image files left ($tmps)" [ "$tmps" = 0 ]
finish
