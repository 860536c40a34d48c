#!/bin/bash
# `meson install` of this build into a DESTDIR, then the installed daxbench
# with the source and build folders hidden (a tmpfs mounted over them in a
# private mount namespace): it must resolve and dry-run the quick, full
# (fio jobs) and radix (kmod sources, radix-count) suites, list kernels,
# show its man page and complete in bash, all from the installed files. The
# installed binaries hold no source or build path; the installed tree works
# moved elsewhere; without its data folder it fails and says so.
. "$(dirname "$0")/lib.sh"
: "${XB_SOURCE_ROOT:?}" "${XB_BUILD_ROOT:?}"

if [ "$(id -u)" != 0 ] || ! unshare --mount true 2>/dev/null; then
  echo "SKIP: hiding the source tree needs root (unshare --mount)"
  exit 77
fi
start=$(date +%s)
R="$TMP/root"
meson install -C "$XB_BUILD_ROOT" --destdir "$R" --strip --no-rebuild >"$TMP/install.log" 2>&1
rc=$?
check "meson install --destdir exits 0 (got $rc)" [ "$rc" = 0 ] || tail -20 "$TMP/install.log"
prefix=$(meson introspect "$XB_BUILD_ROOT" --buildoptions |
         python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
P="$R$prefix"
for f in bin/daxbench libexec/daxbench/daxbench-guest libexec/daxbench/daxbench-share-guest \
         libexec/daxbench/radix-count share/daxbench/workloads/quick.suite \
         share/daxbench/workloads/fio/mmap-randread.fio share/daxbench/workloads/usr-image.recipe \
         share/daxbench/kmod/Makefile share/daxbench/qemu-patches/dcss.patch \
         share/daxbench/scripts/build-qemu-dcss share/daxbench/scripts/share-report.sh \
         share/daxbench/scripts/share-report.py share/man/man1/daxbench.1 \
         share/man/man1/daxbench-run.1 share/bash-completion/completions/daxbench; do
  check "installed: $f" [ -e "$P/$f" ]
done
src=$(realpath "$XB_SOURCE_ROOT") build=$(realpath "$XB_BUILD_ROOT")
n=0
while IFS= read -r -d '' f; do
  head -c4 "$f" | grep -q ELF || continue
  n=$((n + 1))
  hits=$(strings -a "$f" | grep -cF -e "$src" -e "$build")
  check "${f#"$R"} holds no source or build path (found $hits)" [ "$hits" = 0 ]
done < <(find "$R" -type f -print0)
check "ELF files checked ($n)" [ "$n" -ge 4 ]

# Everything else runs with the source and build folders hidden.
cat >"$TMP/hidden.sh" <<'EOF'
set -u
src=$1 build=$2 P=$3 TMP=$4
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
mount -t tmpfs hidden "$src" || { bad "mount over $src"; exit 1; }
case "$build/" in "$src"/*) ;; *) mount -t tmpfs hidden "$build" || bad "mount over $build" ;; esac
check "source tree hidden" [ ! -e "$src/meson.build" ]
D=$P/bin/daxbench
"$D" --version >"$TMP/v" 2>&1
check "installed --version: $(cat "$TMP/v")" grep -Eq '^daxbench [0-9]+\.[0-9]+' "$TMP/v"
for s in quick full radix; do
  "$D" run --suite "$s" --dry-run --db "$TMP/dry.db" >"$TMP/o" 2>"$TMP/e"
  rc=$?
  check "installed run --suite $s --dry-run exits 0 (got $rc: $(tail -1 "$TMP/e"))" [ "$rc" = 0 ]
  check "installed run --suite $s --dry-run prints the QEMU command" grep -q '^would run: ' "$TMP/o"
done
"$D" kernels >"$TMP/k" 2>"$TMP/e"
rc=$?
check "installed kernels exits 0 (got $rc: $(tail -1 "$TMP/e"))" [ "$rc" = 0 ]
check "installed kernels lists kernel packages" grep -q 'linux-image-' "$TMP/k"
MANWIDTH=120 man --warnings -l "$P/share/man/man1/daxbench-run.1" >"$TMP/man" 2>"$TMP/manerr"
check "man -l daxbench-run.1 shows --dry-run" grep -q -- '--dry-run' "$TMP/man"
check "man -l daxbench-run.1 without warnings" [ ! -s "$TMP/manerr" ]
MANPATH=$P/share/man MANWIDTH=120 man daxbench 2>/dev/null >"$TMP/man2"
check "man daxbench (MANPATH) names daxbench-run(1)" grep -q 'daxbench-run(1)' "$TMP/man2"
comp=$(PATH=$P/bin:$PATH bash -c 'source "$1"; COMP_WORDS=(daxbench comp); COMP_CWORD=1;
  _daxbench; echo "${COMPREPLY[*]}"' _ "$P/share/bash-completion/completions/daxbench")
check "bash completes 'daxbench comp' ($comp)" [ "$comp" = "compare compare-kernels" ]
comp=$(PATH=$P/bin:$PATH bash -c 'source "$1"; COMP_WORDS=(daxbench run --accel ""); COMP_CWORD=3;
  _daxbench; echo "${COMPREPLY[*]}"' _ "$P/share/bash-completion/completions/daxbench")
check "bash completes --accel values ($comp)" [ "$comp" = "auto tcg kvm" ]
"$P/share/daxbench/scripts/share-report.sh" 2>"$TMP/e"
check "installed share-report.sh runs (usage without a database)" grep -q 'usage: share-report.sh' "$TMP/e"
# moved: the lookup is relative to the binary
mkdir -p "$TMP/moved" && cp -a "$P" "$TMP/moved/opt"
"$TMP/moved/opt/bin/daxbench" run --dry-run --db "$TMP/dry.db" >"$TMP/o" 2>"$TMP/e"
check "the installed tree moved elsewhere still dry-runs (got $?: $(tail -1 "$TMP/e"))" grep -q '^would run: ' "$TMP/o"
# without its data folder it fails, and says what is missing
mv "$TMP/moved/opt/share/daxbench" "$TMP/moved/data-away"
"$TMP/moved/opt/bin/daxbench" run --dry-run --db "$TMP/dry.db" >"$TMP/o" 2>"$TMP/e"
rc=$?
check "without share/daxbench: exit 1 (got $rc)" [ "$rc" = 1 ]
check "without share/daxbench: says the suite is missing ($(head -1 "$TMP/e"))" grep -q "unknown suite 'quick'" "$TMP/e"
DAXBENCH_DATADIR=$TMP/moved/data-away "$TMP/moved/opt/bin/daxbench" run --dry-run --db "$TMP/dry.db" >"$TMP/o" 2>&1
check "DAXBENCH_DATADIR names a data folder elsewhere" grep -q '^would run: ' "$TMP/o"
EOF
unshare --mount bash "$TMP/hidden.sh" "$src" "$build" "$P" "$TMP" >"$TMP/hidden.out" 2>&1
cat "$TMP/hidden.out"
CHECKS=$((CHECKS + $(grep -c '^\(ok\|FAIL\): ' "$TMP/hidden.out")))
FAILS=$((FAILS + $(grep -c '^FAIL: ' "$TMP/hidden.out")))
check "checks ran with the tree hidden" grep -q '^ok: source tree hidden' "$TMP/hidden.out"
echo "install test wall time: $(( $(date +%s) - start )) s"
finish
