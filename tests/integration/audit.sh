#!/bin/bash
# The command-line audit of issue 17, without a guest: invalid UTF-8 in,
# valid JSON out; a foreign file keeps sqlite's reason; read-only databases
# serve every reading command; ingest stores a stream once and knows its
# backends; a failed run or plot leaves no file behind; control bytes in
# messages are escaped; tables align by display width.
. "$(dirname "$0")/lib.sh"
: "${XB_BUILD_ROOT:?set by meson}"
GUEST="$XB_BUILD_ROOT/bench/daxbench-guest"

db="$TMP/a.db"
printf 'plan.version=1\nbackend=native\ncaps=anon\nbenches=timer\nbench.timer.samples=100\n' >"$TMP/plan"
"$GUEST" --plan "$TMP/plan" --stream "$TMP/s1" >/dev/null 2>&1
"$GUEST" --plan "$TMP/plan" --stream "$TMP/s2" >/dev/null 2>&1
check "two native streams written" [ -s "$TMP/s1" -a -s "$TMP/s2" ]
strict_json() { python3 -c 'import json,sys; json.loads(sys.stdin.buffer.read().decode("utf-8"))'; }

# --- invalid UTF-8: refused at input, and never invalid JSON on output
"$DAXBENCH" ingest --stream "$TMP/s1" --backend native --label $'bad\xff\xfe' --db "$db" >/dev/null 2>"$TMP/err"
rc=$?
check "invalid UTF-8 label refused as usage (exit 2, got $rc)" [ "$rc" = 2 ]
check "its message names the option, bytes escaped" grep -q -- '--label is not valid UTF-8.*bad\\xff\\xfe' "$TMP/err"
"$DAXBENCH" ingest --stream "$TMP/s1" --backend native --label $'caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac' --db "$db" >"$TMP/out"
check "UTF-8 label accepted" [ $? = 0 ]
# a label written by an older daxbench (or by hand) that is not UTF-8
sqlite3 "$db" "update runs set label = cast(x'626164fffe' as text) where id = 1"
"$DAXBENCH" list --json --db "$db" >"$TMP/json"
check "list --json exits 0" [ $? = 0 ]
check "list --json is strict UTF-8 JSON despite a bad stored label" strict_json <"$TMP/json"
"$DAXBENCH" show --json 1 --db "$db" | strict_json
check "show --json is strict UTF-8 JSON" [ "${PIPESTATUS[1]}" = 0 ]
"$DAXBENCH" list --db "$db" >"$TMP/list"
check "list shows the bad bytes escaped" grep -q 'bad\\xff\\xfe' "$TMP/list"

# --- text tables measure display width: the column after LABEL-like text lines up
"$DAXBENCH" ingest --stream "$TMP/s2" --backend native --suite $'\xe6\x97\xa5\xe6\x9c\xac' --db "$db" >/dev/null
"$DAXBENCH" list --db "$db" >"$TMP/list"
# display column where each row's KERNEL cell starts (the native guest records uname -r)
cols=$(python3 -c '
import sys, unicodedata
def w(s): return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
rel = sys.argv[2]
for l in open(sys.argv[1], encoding="utf-8").read().splitlines():
    print(w(l[:l.index("KERNEL" if l.startswith("ID") else rel)]))
' "$TMP/list" "$(uname -r)" | sort -u | tr '\n' ' ')
check "KERNEL column starts at one display column on every row (columns: $cols)" [ "$(wc -w <<<"$cols")" = 1 ]

# --- kernels: columns hold whatever the package names' lengths
"$DAXBENCH" kernels >"$TMP/kernels" 2>"$TMP/err"
check "kernels lists packages ($(head -c 200 "$TMP/err"))" grep -q "linux-image-" "$TMP/kernels"
cols=$(awk 'NR == 1 { h = index($0, "VERSION") } NR > 1 { v = $(NF - 1); print (index($0, " " v " ") + 1 == h) }' "$TMP/kernels" | sort -u | tr '\n' ' ')
check "kernels: every VERSION cell starts under its header ($cols)" [ "$cols" = "1 " ]

# --- ingest: the same stream twice is stored once; backends are checked
n0=$(q "$db" "select count(*) from runs")
"$DAXBENCH" ingest --stream "$TMP/s2" --backend native --db "$db" >"$TMP/out"
check "second ingest of one stream exits 0" [ $? = 0 ]
check "it says the stream is already recorded" grep -q "already recorded as run" "$TMP/out"
check "no run added by the second ingest" [ "$(q "$db" "select count(*) from runs")" = "$n0" ]
"$DAXBENCH" ingest --stream "$TMP/s2" --backend bogus-backend --db "$db" 2>"$TMP/err"
rc=$?
check "unknown backend is a usage error (exit 2, got $rc)" [ "$rc" = 2 ]
check "the message lists the valid backends" grep -q "valid backends are .*native" "$TMP/err"
check "nothing recorded for it" [ "$(q "$db" "select count(*) from runs")" = "$n0" ]

# --- a file that is not a database keeps sqlite's reason
cp /etc/passwd "$TMP/passwd-copy"
"$DAXBENCH" list --db "$TMP/passwd-copy" 2>"$TMP/err"
check "foreign file refused" [ $? = 1 ]
check "sqlite's reason kept ($(cat "$TMP/err"))" grep -q "file is not a database" "$TMP/err"
check "no 'not an error' message" bash -c "! grep -q 'not an error' '$TMP/err'"

# --- read-only databases: every reading command works, compare prints
ro="$TMP/ro"
mkdir "$ro"
cp "$db" "$ro/ro.db"
before=$(sha256sum <"$ro/ro.db")
chmod 711 "$TMP"; chmod 555 "$ro"; chmod 444 "$ro/ro.db"
as_reader() {
  if [ "$(id -u)" = 0 ]; then setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; else "$@"; fi
}
as_reader "$DAXBENCH" list --db "$ro/ro.db" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "list on a read-only database (exit $rc: $(head -c 200 "$TMP/err"))" [ "$rc" = 0 ]
check "list shows the runs" grep -q "ingested" "$TMP/out"
as_reader "$DAXBENCH" list --json --db "$ro/ro.db" | strict_json
check "list --json on a read-only database" [ "${PIPESTATUS[0]}" = 0 ]
as_reader "$DAXBENCH" show 1 --db "$ro/ro.db" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "show on a read-only database (exit $rc: $(head -c 200 "$TMP/err"))" [ "$rc" = 0 ]
as_reader "$DAXBENCH" compare --force 1 2 --db "$ro/ro.db" >"$TMP/out" 2>"$TMP/err"
rc=$?
check "compare on a read-only database exits 0 or 3 (got $rc: $(head -c 300 "$TMP/err"))" [ "$rc" = 0 -o "$rc" = 3 ]
check "compare says it cannot store the comparison" grep -q "cannot store the comparison" "$TMP/err"
check "compare prints the result anyway" grep -q "timer" "$TMP/out"
check "read-only database unchanged" [ "$before" = "$(sha256sum <"$ro/ro.db")" ]
check "no -wal/-shm left in the read-only folder" [ "$(ls "$ro")" = ro.db ]
chmod 755 "$ro"; chmod 644 "$ro/ro.db"

# --- failures leave no files
"$DAXBENCH" run --kernel 9.9.9-bogus --db "$TMP/new.db" 2>"$TMP/err"
check "unknown kernel fails (exit 1)" [ $? = 1 ]
check "it says why" grep -q "unknown kernel '9.9.9-bogus'" "$TMP/err"
check "no database created by a run that recorded nothing" [ ! -e "$TMP/new.db" ]
"$DAXBENCH" plot 999 "$TMP/plotdir" --db "$db" 2>"$TMP/err"
check "plot of an unknown run fails" [ $? = 1 ]
check "plot leaves no folder" [ ! -e "$TMP/plotdir" ]

# --- control bytes from a suite file are escaped in the message
printf '[suite]\nname = x\n[bench fault]\nreps = \033[31m\007three\n' >"$TMP/esc.suite"
"$DAXBENCH" run --dry-run --suite "$TMP/esc.suite" --db "$TMP/esc.db" 2>"$TMP/err"
check "bad suite fails" [ $? != 0 ]
check "message shows the escape bytes escaped" grep -q 'reps .\\x1b\[31m\\x07three' "$TMP/err"
check "no raw ESC or BEL in the message" bash -c "! grep -q \$'[\\033\\007]' '$TMP/err'"
finish
