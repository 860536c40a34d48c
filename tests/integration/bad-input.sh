#!/bin/bash
# Bad input gets a clear error and loses nothing; a hung or panicking guest
# is recorded as a failed run with its reason and console tail.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"

# unknown kernel: one clear line, saying how to list the available ones
"$DAXBENCH" run --kernel 9.9.9-nonexistent --db "$db" 2>"$TMP/err"
rc=$?
check "unknown kernel exits 1 (got $rc)" [ "$rc" = 1 ]
check "unknown kernel message points at 'daxbench kernels'" grep -q "unknown kernel '9.9.9-nonexistent'.*daxbench kernels" "$TMP/err"
check "nothing recorded for it, no database left behind" [ ! -e "$db" ]

# malformed suite file: file and line named
printf '[suite]\nname = broken\n[bench fault]\nfile_size = 64M\nreps = three\n' >"$TMP/bad suite.suite"
"$DAXBENCH" run --suite "$TMP/bad suite.suite" --db "$db" 2>"$TMP/err"
check "malformed suite exits 1" [ $? = 1 ]
cat "$TMP/err"
check "malformed suite names file and line" grep -q "bad suite.suite:5" "$TMP/err"

# database from a newer schema: refused, left byte-for-byte as it was
sqlite3 "$TMP/newer.db" "create table runs(x); pragma user_version=99;"
before=$(sha256sum <"$TMP/newer.db")
"$DAXBENCH" list --db "$TMP/newer.db" 2>"$TMP/err"
check "newer schema refused" [ $? = 1 ]
check "newer schema message says upgrade" grep -qi "newer" "$TMP/err"
check "newer database unchanged" [ "$before" = "$(sha256sum <"$TMP/newer.db")" ]
"$DAXBENCH" run --db "$TMP/newer.db" 2>"$TMP/err"
check "run refuses a newer database before any work" [ $? = 1 ]
check "newer database still unchanged" [ "$before" = "$(sha256sum <"$TMP/newer.db")" ]

# corrupt database: refused, unchanged
head -c 8192 /dev/urandom >"$TMP/corrupt.db"
before=$(sha256sum <"$TMP/corrupt.db")
"$DAXBENCH" list --db "$TMP/corrupt.db" 2>"$TMP/err"
check "corrupt database refused" [ $? = 1 ]
cat "$TMP/err"
check "corrupt database unchanged" [ "$before" = "$(sha256sum <"$TMP/corrupt.db")" ]

# a guest that hangs: killed at the timeout, run recorded as failed with the console tail
"$DAXBENCH" run --db "$db" --timeout 60 --append "rdinit=/daxbench/hang" >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"
check "hung guest exits 1 (got $rc)" [ "$rc" = 1 ]
check "hung guest recorded as failed" [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'guest hung%'")" = 1 ]
check "hung guest: console tail saved" [ -n "$(q "$db" "select console_tail from runs where reason like 'guest hung%'")" ]
check "no QEMU left behind" bash -c '! pgrep -f "qemu-system.*rdinit=/daxbench/[h]ang" >/dev/null'

# a guest kernel that panics: recorded as failed with the panic line
"$DAXBENCH" run --db "$db" --timeout 120 --append "rdinit=/daxbench/panic" >"$TMP/out" 2>"$TMP/err"
check "panicking guest exits 1" [ $? = 1 ]
cat "$TMP/out"
check "panic recorded with its reason" [ "$(q "$db" "select count(*) from runs where status='failed' and reason like 'kernel panic%'")" = 1 ]
check "failed runs have no samples" [ "$(q "$db" "select count(*) from samples")" = 0 ]
"$DAXBENCH" show --db "$db" >"$TMP/show" 2>&1
check "show of a failed run gives its reason" grep -q "kernel panic" "$TMP/show"
check "integrity_check ok" [ "$(q "$db" "pragma integrity_check")" = ok ]
finish
