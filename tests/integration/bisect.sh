#!/bin/bash
# Kernels from a source tree, and `daxbench bisect` (README, "Bisecting a
# kernel tree"), on real kernel builds and guests:
#  1. Debian's linux-source-6.1 imported into a throwaway git repository in
#     the cache (kept between runs on one machine, with the base commit's
#     build: a fresh machine imports and builds it from scratch), and on top
#     of it: a commit adding an unrelated file (a nonce: the tree, and so
#     the build, is new every run), one planting 15 barrier() iterations at
#     the top of dax_iomap_pte_fault(), and one adding a comment to fs/dax.c.
#     A commit beside them breaks the build.
#  2. A dirty tree is refused (exit 1, nothing recorded); after the
#     bisection, a build failure is a clear error (exit 1, nothing recorded).
#  3. `daxbench bisect --clock icount` from the base (good) to the comment
#     (bad) on fault.dax.read.pte.ns names the planted commit, with a
#     regression; every step's comparison is stored with its verdict, the
#     runs carry kernel.commit, and the repository is as it was: same
#     HEAD, clean, no bisect state. The published trend orders the four
#     commits by commit date.
. "$(dirname "$0")/lib.sh"

for p in qemu-system-x86_64 git make gcc sqlite3; do
  command -v $p >/dev/null || { echo "skipped: needs $p"; exit 77; }
done
tarball=/usr/src/linux-source-6.1.tar.xz
[ -f $tarball ] || { echo "FAIL: $tarball missing: run scripts/install-deps (linux-source-6.1)"; exit 1; }
start=$(date +%s)
cache="${DAXBENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/daxbench}"
ver=$(dpkg-query -W -f '${Version}' linux-source-6.1)
repo="$cache/test-kernel-src/linux-source-$ver"
export GIT_AUTHOR_NAME=daxbench GIT_AUTHOR_EMAIL=daxbench@localhost
export GIT_COMMITTER_NAME=daxbench GIT_COMMITTER_EMAIL=daxbench@localhost
commit_at() {  # commit_at UNIXTIME MESSAGE: a commit with a fixed date
  GIT_AUTHOR_DATE="@$1 +0000" GIT_COMMITTER_DATE="@$1 +0000" git -C "$repo" commit -q -m "$2" "${@:3}"
}

if [ ! -f "$repo/.git/daxbench-imported" ]; then
  t=$(date +%s)
  rm -rf "$repo"
  mkdir -p "$repo"
  tar -xf $tarball -C "$repo" --strip-components=1 || { echo "FAIL: cannot unpack $tarball"; exit 1; }
  # Debian's .gitignore ignores the whole top level: not in a repository of it
  sed -i '/^# Debian packaging/,/^!\/debian\/$/d' "$repo/.gitignore"
  git -C "$repo" init -q -b base && git -C "$repo" add -A && commit_at 1700000000 "linux-source $ver" \
    || { echo "FAIL: cannot import the source into git"; exit 1; }
  touch "$repo/.git/daxbench-imported"
  echo "imported linux-source $ver into git: $(( $(date +%s) - t )) s"
fi
git -C "$repo" checkout -q -f base && git -C "$repo" clean -qfdx
git -C "$repo" branch -q -D planted broken 2>/dev/null
base=$(git -C "$repo" rev-parse HEAD)

git -C "$repo" checkout -q -b planted
echo "daxbench bisect test $(date +%s.%N) $$" >"$repo/Documentation/daxbench-nonce.txt"
git -C "$repo" add Documentation/daxbench-nonce.txt && commit_at 1700000100 "Documentation: a nonce"
c1=$(git -C "$repo" rev-parse HEAD)
sed -i '0,/^\ttrace_dax_pte_fault(iter.inode, vmf, ret);$/s//&\n\t{ int i; for (i = 0; i < 15; i++) barrier(); }/' "$repo/fs/dax.c"
check "the barrier loop is planted in dax_iomap_pte_fault" grep -q 'i < 15; i++) barrier' "$repo/fs/dax.c"
commit_at 1700000200 "dax: more work in the PTE fault path" -a
c2=$(git -C "$repo" rev-parse HEAD)
printf '\n/* daxbench: a comment, no code */\n' >>"$repo/fs/dax.c"
commit_at 1700000300 "dax: a comment" -a
c3=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" checkout -q -b broken $c1
echo 'this is not C;' >>"$repo/fs/dax.c"
commit_at 1700000400 "dax: broken" -a
cbroken=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" checkout -q planted

db="$TMP/results.db"
# 2. a dirty tree
echo '/* dirty */' >>"$repo/fs/dax.c"
"$DAXBENCH" run --kernel-src "$repo" --db "$db" >"$TMP/dirty.out" 2>&1
rc=$?
cat "$TMP/dirty.out"
check "a dirty tree is refused with exit 1 (got $rc)" [ "$rc" = 1 ]
check "the refusal says why and what to do" grep -q 'has uncommitted changes.*--allow-dirty' "$TMP/dirty.out"
# a run that records nothing leaves no database it would have created (issue 17)
check "nothing recorded (no database created)" [ ! -e "$db" ]
git -C "$repo" checkout -q -- fs/dax.c
# 3. the bisection
head_before=$(git -C "$repo" rev-parse HEAD)
t=$(date +%s)
"$DAXBENCH" bisect --kernel-src "$repo" --good $base --bad $c3 --metric fault.dax.read.pte.ns \
  --suite compare-quick --clock icount --label bis --db "$db" >"$TMP/bisect.out" 2>"$TMP/bisect.err"
rc=$?
echo "bisect wall time: $(( $(date +%s) - t )) s"
cat "$TMP/bisect.out"; grep -E '^(bisect|warning|daxbench)' "$TMP/bisect.err" | tail -20
check "bisect exits 0 (got $rc)" [ "$rc" = 0 ]
check "bisect names the planted commit $c2" grep -q "^first bad commit: $c2" "$TMP/bisect.out"
check "with its measured change and interval" \
  grep -qE '^  fault\.dax\.read\.pte\.ns p50: [0-9.]+ -> [0-9.]+, \+[0-9.]+% (exact|\[[-+][0-9.]+%, \+[0-9.]+%\]) against' "$TMP/bisect.out"
verdict() {  # verdict LABEL: the metric's stored verdict against the good end
  q "$db" "select group_concat(cr.verdict) from comparisons c join comparison_rows cr on cr.comparison_id=c.id
           join metrics m on m.id=cr.metric_id where c.selector_b='label:$1' and m.name='fault.dax.read.pte.ns' and cr.stat='p50'"
}
check "the bad end: regression ($(verdict bis-bad-${c3:0:12}))" [ "$(verdict bis-bad-${c3:0:12})" = regression ]
steps=$(q "$db" "select count(*) from comparisons where selector_b like 'label:bis-step%'")
check "the steps' comparisons are stored ($steps)" [ "$steps" -ge 1 ]
step_verdict() { verdict "$(q "$db" "select distinct label from runs where label like 'bis-step%-${1:0:12}'")"; }
[ "$(q "$db" "select count(*) from runs where label like 'bis-step%-${c2:0:12}'")" != 0 ] &&
  check "the planted commit, when a step: regression" [ "$(step_verdict $c2)" = regression ]
[ "$(q "$db" "select count(*) from runs where label like 'bis-step%-${c1:0:12}'")" != 0 ] &&
  check "the nonce commit, when a step: no change ($(step_verdict $c1))" [ "$(step_verdict $c1)" = "no change" ]
fpv() { q "$db" "select group_concat(distinct f.value) from fingerprint f join runs r on r.id=f.run_id where r.label like '$1' and f.key='$2'"; }
check "the good end's runs carry kernel.commit" [ "$(fpv 'bis-good-%' kernel.commit)" = "$base" ]
check "and the tree was clean" [ "$(fpv 'bis-good-%' kernel.src_dirty)" = no ]
check "and the commit date" [ "$(fpv 'bis-good-%' kernel.commit_date)" = 1700000000 ]
check "the repository's HEAD is unchanged" [ "$(git -C "$repo" rev-parse HEAD)" = "$head_before" ]
check "the repository is clean" [ -z "$(git -C "$repo" status --porcelain)" ]
check "the repository has no bisect state" [ ! -e "$repo/.git/BISECT_LOG" -a -z "$(git -C "$repo" for-each-ref refs/bisect)" ]
"$DAXBENCH" publish --db "$db" "$TMP/site" >/dev/null 2>"$TMP/publish.err" || cat "$TMP/publish.err"
check "trends: the four commits are four points ordered by commit date" \
  grep -q '4 points, ordered by commit date' "$TMP/site/metric/fault.dax.read.pte.ns.html"
# a build failure, after the bisection (its runs are all there is)
nruns=$(q "$db" 'select count(*) from runs')
t=$(date +%s)
"$DAXBENCH" run --kernel-src "$repo@$cbroken" --suite compare-quick --db "$db" >"$TMP/broken.out" 2>&1
rc=$?
echo "broken build: $(( $(date +%s) - t )) s"
cat "$TMP/broken.out"
check "a build failure exits 1 (got $rc)" [ "$rc" = 1 ]
check "the failure names the build and its log" grep -q 'building .* failed (make exit [0-9]*); the log: .*\.log' "$TMP/broken.out"
check "nothing more recorded" [ "$(q "$db" 'select count(*) from runs')" = "$nruns" ]

echo "steps:"; q "$db" "select c.selector_b, cr.verdict, round(cr.change_pct, 3) from comparisons c join comparison_rows cr on cr.comparison_id=c.id join metrics m on m.id=cr.metric_id where m.name='fault.dax.read.pte.ns' and cr.stat='p50' order by c.id"
echo "total wall time: $(( $(date +%s) - start )) s"
finish
