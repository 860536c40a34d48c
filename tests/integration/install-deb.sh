#!/bin/bash
# The Debian package: a copy of the source tree without git (as a release
# tarball is) builds with `dpkg-buildpackage -us -uc -b` (the unit suite is
# left to run-tests: nocheck), lintian reports no error, and the .deb
# unpacked into an empty root (dpkg-deb -x) dry-runs the quick suite, lists
# kernels and shows its man page from there. --version of a build without
# git names the version alone.
. "$(dirname "$0")/lib.sh"
: "${XB_SOURCE_ROOT:?}"

for p in dpkg-buildpackage lintian dh; do
  command -v "$p" >/dev/null || { echo "SKIP: $p is not installed (scripts/install-deps)"; exit 77; }
done
start=$(date +%s)
W="$TMP/work"
S="$W/daxbench"
mkdir -p "$S"
# the tracked and new files, without any build folder or .git
if git -C "$XB_SOURCE_ROOT" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$XB_SOURCE_ROOT" && git ls-files -co --exclude-standard -z |
     grep -zv -e '^build' | tar -cf - --null --no-recursion -T -) | tar -xf - -C "$S"
else
  tar -C "$XB_SOURCE_ROOT" --exclude=.git --exclude-tag-all=meson-private -cf - . | tar -xf - -C "$S"
fi
check "source copied without build folders or git" [ -f "$S/debian/control" ] && [ ! -e "$S/.git" ]
(cd "$S" && DEB_BUILD_OPTIONS="nocheck parallel=2" dpkg-buildpackage -us -uc -b -Pnocheck) \
  >"$TMP/build.log" 2>&1
rc=$?
check "dpkg-buildpackage -us -uc -b exits 0 (got $rc)" [ "$rc" = 0 ] || tail -30 "$TMP/build.log"
echo "dpkg-buildpackage wall time: $(( $(date +%s) - start )) s"
deb=$(ls "$W"/daxbench_*_amd64.deb 2>/dev/null | head -1)
check "a .deb was built ($(basename "${deb:-none}"))" [ -n "$deb" ]
[ -n "$deb" ] || { finish; exit 1; }
lintian "$W"/daxbench_*_amd64.changes >"$TMP/lintian" 2>&1
cat "$TMP/lintian"
check "lintian: no errors ($(grep -c '^E:' "$TMP/lintian") E:, $(grep -c '^W:' "$TMP/lintian") W:)" \
  bash -c "! grep -q '^E:' '$TMP/lintian'"
dpkg-deb -I "$deb" >"$TMP/info"
check "the package depends on qemu-system-x86" grep -q 'Depends:.*qemu-system-x86' "$TMP/info"
R="$TMP/root"
dpkg-deb -x "$deb" "$R"
D=$R/usr/bin/daxbench
check "unpacked: the man page and the guest program" \
  [ -f "$R/usr/share/man/man1/daxbench-run.1.gz" ] && [ -x "$R/usr/libexec/daxbench/daxbench-guest" ]
version=$(grep -m1 -oP "^\s*version : '\K[^']+" "$XB_SOURCE_ROOT/meson.build")
v=$("$D" --version 2>&1)
check "--version of the package (built without git) is 'daxbench $version' ($v)" [ "$v" = "daxbench $version" ]
"$D" run --dry-run --db "$TMP/dry.db" >"$TMP/o" 2>"$TMP/e"
rc=$?
check "unpacked run --dry-run exits 0 (got $rc: $(tail -1 "$TMP/e"))" [ "$rc" = 0 ]
check "unpacked run --dry-run prints the QEMU command with the unpacked image" grep -q '^would run: ' "$TMP/o"
"$D" kernels >"$TMP/k" 2>"$TMP/e"
rc=$?
check "unpacked kernels exits 0 (got $rc)" [ "$rc" = 0 ] && grep -q 'linux-image-' "$TMP/k"
MANWIDTH=120 man -l "$R/usr/share/man/man1/daxbench.1.gz" 2>/dev/null >"$TMP/man"
check "man -l of the packaged daxbench.1" grep -q 'daxbench-compare(1)' "$TMP/man"
echo "install-deb test wall time: $(( $(date +%s) - start )) s"
finish
