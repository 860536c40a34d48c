#!/bin/bash
# Boots the default kernel on emulated axonram, runs the quick suite, and
# checks the database holds a finished run with DAX and page-cache fault
# samples whose fingerprint shows dax=always.
. "$(dirname "$0")/lib.sh"

db="$TMP/results.db"
start=$(date +%s)
"$DAXBENCH" run --suite quick --db "$db" --label integration >"$TMP/out" 2>"$TMP/err"
rc=$?
cat "$TMP/out"; tail -5 "$TMP/err"
check "daxbench run exits 0 (got $rc)" [ "$rc" = 0 ]
echo "quick suite wall time: $(( $(date +%s) - start )) s"

check "one finished run" [ "$(q "$db" "select count(*) from runs where status='finished'")" = 1 ]
for m in fault.dax.read.pte.ns fault.dax.write.pte.ns fault.pagecache.read.pte.ns \
         fault.pagecache.write.pte.ns fault.anon.read.pte.ns fault.anon.write.pte.ns; do
  n=$(q "$db" "select coalesce(sum(s.n),0) from samples s join metrics m on m.id=s.metric_id where m.name='$m'")
  check "$m has samples ($n)" [ "$n" -gt 0 ]
done
# DAX faults map one page each: one fault sample per page of the 64 MiB file, per rep
n=$(q "$db" "select sum(s.n) from samples s join metrics m on m.id=s.metric_id where m.name='fault.dax.read.pte.ns'")
check "dax read: a fault per page (16384 x 3 reps, got $n)" [ "$n" = 49152 ]
ppf=$(q "$db" "select max(median) from summaries su join metrics m on m.id=su.metric_id where m.name='fault.pagecache.read.pte.pages_per_fault'")
check "page cache maps several pages per fault (fault-around: $ppf)" \
  awk -v v="$ppf" 'BEGIN { exit !(v > 1.5) }'
opts=$(q "$db" "select value from fingerprint where key='guest.mount.dax.opts'")
check "fingerprint shows dax=always ($opts)" grep -q 'dax=always' <<<"$opts"
pc=$(q "$db" "select value from fingerprint where key='guest.mount.pagecache.opts'")
check "page-cache mount is not dax ($pc)" bash -c "! grep -q dax <<<'$pc'"
for k in kernel.release kernel.package_version kernel.image_sha256 kernel.config_sha256 \
         kernel.cmdline backend backend.region_size fs qemu.version qemu.accel qemu.cpu \
         qemu.mem_mb daxbench.version daxbench.commit daxbench.dirty host guest.cpu.model \
         guest.kernel.release; do
  v=$(q "$db" "select value from fingerprint where key='$k'")
  check "fingerprint has $k ($v)" [ -n "$v" ]
done
check "timer overhead measured" [ "$(q "$db" "select count(*) from summaries su join metrics m on m.id=su.metric_id where m.name='timer.overhead.ns'")" = 1 ]
check "units and directions stored" [ "$(q "$db" "select unit||' '||direction from metrics where name='fault.dax.read.pte.ns'")" = "ns lower" ]

"$DAXBENCH" show --db "$db" >"$TMP/show"
check "show prints the metric" grep -q 'fault.dax.read.pte.ns' "$TMP/show"
"$DAXBENCH" show --db "$db" --json >"$TMP/show.json"
check "show --json is valid JSON with a schema version" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema_version"] >= 1' "$TMP/show.json"
"$DAXBENCH" list --db "$db" --json >"$TMP/list.json"
check "list --json is valid JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/list.json"
check "integrity_check ok" [ "$(q "$db" "pragma integrity_check")" = ok ]

# A second run of the cached kernel downloads nothing: apt-get is not even reachable
mkdir -p "$TMP/bin"
printf '#!/bin/sh\necho "apt-get must not run" >&2\nexit 1\n' >"$TMP/bin/apt-get"
chmod +x "$TMP/bin/apt-get"
rel=$(q "$db" "select value from fingerprint where key='kernel.release'")
PATH="$TMP/bin:$PATH" "$DAXBENCH" run --kernel "$rel" --db "$db" --dry-run >"$TMP/dry" 2>&1
check "cached kernel: dry run needs no download" [ $? = 0 ]
check "dry run recorded nothing" [ "$(q "$db" "select count(*) from runs")" = 1 ]
finish
