#!/bin/bash
# Faults the suite survives, mid-run: QEMU killed from outside, daxbench
# interrupted with SIGINT and with SIGTERM, a tool missing. Each leaves a run
# marked failed with its reason (or nothing, before any boot), earlier runs
# intact, and no QEMU behind.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"
mark="daxbench.test=$$-$RANDOM"

# the qemu of this test, found by the marker on its kernel command line
qemu_pid() { pgrep -f "qemu-system.*$mark" | head -1; }

# Start a run in the background and wait until the guest is measuring.
start_run() {
  "$DAXBENCH" run --db "$db" --append "$mark $1" >"$TMP/out" 2>"$TMP/err" &
  RUN_PID=$!
  local con="" pid=""
  for _ in $(seq 600); do
    pid=$(qemu_pid)
    if [ -n "$pid" ]; then
      con=$(tr '\0' '\n' <"/proc/$pid/cmdline" | sed -n 's/^file,id=con,path=//p')
      grep -q "stage fault" "$con" 2>/dev/null && return 0
    fi
    sleep 0.5
  done
  return 1
}

no_qemu_left() { sleep 1; [ -z "$(qemu_pid)" ]; }

# a finished run first: it must survive everything below. It runs with
# fio and perf missing from the host (a PATH of everything else), which
# the guest must record as unavailable with the reason, never as zeros.
mkdir -p "$TMP/nofio"
IFS=: read -ra path_dirs <<<"$PATH"
for d in "${path_dirs[@]}"; do
  for p in "$d"/*; do
    n=${p##*/}
    case $n in fio|perf) continue ;; esac
    [ -e "$TMP/nofio/$n" ] || ln -s "$p" "$TMP/nofio/$n"
  done
done
{ cat "${XB_SOURCE_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}/workloads/quick.suite"
  printf '[bench faultpath]\nfile_size = 2M\nreps = 1\npaths = read.pte\ntrace = off\nmodes = dax\n'
  printf '[bench fio]\nfile_size = 2M\nmodes = dax\n'; } >"$TMP/before.suite"
PATH="$TMP/nofio" "$DAXBENCH" run --suite "$TMP/before.suite" --db "$db" --label before \
  >"$TMP/out" 2>&1
check "a finished run to protect" [ "$(q "$db" "select count(*) from runs where status='finished'")" = 1 ]
finished_before=$(q "$db" "select count(*) from samples")
check "fio absent: recorded unavailable with the reason" \
  [ "$(q "$db" "select count(*) from notes where kind='skip' and subject='fio.dax' and text like 'fio unavailable: %apt-get install fio%'")" = 1 ]
check "fio absent: no fio metric" [ "$(q "$db" "select count(*) from metrics where name like 'fio.%'")" = 0 ]
check "perf absent: recorded unavailable with the reason" \
  [ "$(q "$db" "select count(*) from notes where kind='skip' and subject='faultpath.dax' and text like 'perf unavailable on dax: %not in the guest image%'")" = 1 ]
check "perf absent: no perf metric, the faults measured all the same" \
  [ "$(q "$db" "select count(*) from metrics where name like '%.perf.%'"):$(q "$db" "select count(*) from metrics where name='fault.dax.read.pte.ns'")" = 0:1 ]

# 3. QEMU killed from outside mid-run
check "guest reached the fault benchmark" start_run ""
kill -9 "$(qemu_pid)"
wait $RUN_PID; rc=$?
check "killed QEMU: daxbench exits 1 (got $rc)" [ "$rc" = 1 ]
check "killed QEMU: run failed with the signal as reason" \
  [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'QEMU was killed by signal 9%'")" = 1 ]

# 4. SIGINT and SIGTERM to daxbench mid-run; an odd kernel command line on the way
odd='x="a b" y=it'"'"'s;$(reboot)'
for sig in INT TERM; do
  check "SIG$sig: guest reached the fault benchmark" start_run "$odd"
  kill -s $sig $RUN_PID
  wait $RUN_PID; rc=$?
  want=$((128 + $(kill -l $sig)))
  check "SIG$sig: daxbench exits $want (got $rc)" [ "$rc" = "$want" ]
  check "SIG$sig: no QEMU left" no_qemu_left
done
check "interrupted runs recorded as failed with the reason" \
  [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'interrupted%'")" = 2 ]
cmdline=$(q "$db" "select value from fingerprint f join runs r on r.id=f.run_id where r.reason like 'interrupted%' and key='kernel.cmdline' limit 1")
check "odd kernel command line stored verbatim" grep -qF -- "$mark $odd" <<<"$cmdline"

# 10. a tool missing: QEMU not on PATH -> one line saying what to install, nothing recorded
mkdir -p "$TMP/bin"
for t in apt-cache apt-get dpkg-deb depmod ldd xz zstd; do
  p=$(command -v $t) && ln -sf "$p" "$TMP/bin/$t"
done
runs_before=$(q "$db" "select count(*) from runs")
PATH="$TMP/bin" "$DAXBENCH" run --db "$db" 2>"$TMP/err"
check "QEMU missing: exit 1" [ $? = 1 ]
cat "$TMP/err"
check "QEMU missing: says what to install" grep -q "apt-get install qemu-system-x86" "$TMP/err"
check "QEMU missing: nothing recorded" [ "$(q "$db" "select count(*) from runs")" = "$runs_before" ]

check "the finished run is intact" [ "$(q "$db" "select count(*) from samples")" = "$finished_before" ]
check "integrity_check ok" [ "$(q "$db" "pragma integrity_check")" = ok ]
finish
