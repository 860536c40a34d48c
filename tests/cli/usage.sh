#!/bin/bash
# One usage convention across the subcommands (issue 17), on the built
# daxbench, no guest booted: `daxbench help CMD` is `daxbench CMD --help`;
# an unknown option is one line plus "try 'daxbench CMD --help'", exit 2; an
# invalid option value is a usage error (exit 2) that lists the valid values.
set -u
D=${DAXBENCH:?}
. "$(dirname "$0")/lib.sh"
cd "$tmp"
cmds=$("$D" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF > 1 { print $1 }')
check "daxbench --help lists commands" [ "$(echo "$cmds" | wc -w)" -ge 10 ]
for c in $cmds; do
  "$D" help "$c" >h1 2>&1; r1=$?
  "$D" "$c" --help >h2 2>&1; r2=$?
  check "$c: help = --help, exit 0" [ "$r1" = 0 ] && [ "$r2" = 0 ] && cmp -s h1 h2 && grep -q "usage: daxbench $c" h1
  "$D" "$c" --no-such-option >o 2>e; r=$?
  check "$c: unknown option: exit 2 (got $r), two lines on stderr, nothing on stdout" \
    [ "$r" = 2 ] && [ "$(wc -l <e)" = 2 ] && [ ! -s o ]
  check "$c: names the option, then try --help" \
    grep -q "^daxbench $c: unrecognized option '--no-such-option'$" e && \
    [ "$(tail -1 e)" = "try 'daxbench $c --help'" ]
done
bad() {   # bad VALID... -- ARGS: exit 2, each valid value named, try line
  local valid=() a
  while [ "$1" != -- ]; do valid+=("$1"); shift; done; shift
  "$D" "$@" >o 2>e; r=$?
  check "'$*': exit 2 (got $r)" [ "$r" = 2 ]
  for a in "${valid[@]}"; do check "'$*' lists $a" grep -q -- "$a" e; done
  check "'$*': try line" grep -q "^try 'daxbench $1 --help'$" e
}
bad auto tcg kvm -- run --accel bogus --dry-run
bad axonram-emu dcssblk-emu -- run --backend bogus --dry-run
bad ext4 xfs -- run --fs zfs --dry-run
bad auto wall icount -- run --clock bogus --dry-run
bad auto tcg kvm -- compare-kernels --accel bogus a b
bad axonram-emu native -- compare-kernels --backend bogus a b
bad auto tcg kvm -- calibrate --accel bogus
bad finished failed -- list --status bogus
bad capabilities radix memory structpages faults exec fault-paths -- report --section bogus -
for a in "db" "db bogus x" "share --min-guests 5 --max-guests 2" "plot" "compare x" \
         "run --boots 0" "run --kernel-commit zz" "list --limit x" "kernels extra" "ingest" \
         "ingest-lava x" "bisect" "report"; do
  "$D" $a >o 2>e; r=$?
  check "'daxbench $a': exit 2 (got $r), one line and try" [ "$r" = 2 ] && [ "$(wc -l <e)" = 2 ] && \
    [ "$(tail -1 e)" = "try 'daxbench ${a%% *} --help'" ]
done
check "nothing was created by a usage error" [ ! -e daxbench.db ]
# a malformed compare selector is a usage error; one matching nothing is not
stream=${1:?usage: usage.sh STREAM_FILE}
"$D" ingest --db r.db --stream "$stream" --backend axonram-emu >/dev/null 2>&1
check "a run ingested for compare" [ -s r.db ]
"$D" compare --db r.db badsel:x 1 >o 2>e; r=$?
check "compare with a malformed selector: exit 2 (got $r)" [ "$r" = 2 ] && grep -q "^try 'daxbench compare --help'$" e
"$D" compare --db r.db --simulate 0.05 badsel:x 1 >o 2>e; r=$?
check "compare --simulate with a malformed selector: exit 2 (got $r)" [ "$r" = 2 ] && grep -q "^try 'daxbench compare --help'$" e
"$D" compare --db r.db label:no-such-label 1 >o 2>e; r=$?
check "compare with a selector matching nothing: exit 1 (got $r)" [ "$r" = 1 ]
"$D" help no-such-command >o 2>e; r=$?
check "help of an unknown command: exit 2" [ "$r" = 2 ] && grep -q "try 'daxbench --help'" e
"$D" no-such-command >o 2>e; r=$?
check "unknown command: exit 2, two lines" [ "$r" = 2 ] && [ "$(wc -l <e)" = 2 ]
"$D" >o 2>e; r=$?
check "no command: exit 2" [ "$r" = 2 ]
"$D" --version >o; r=$?
check "--version: exit 0, 'daxbench VERSION'" [ "$r" = 0 ] && grep -Eq '^daxbench [0-9]+\.[0-9]+' o
echo "$fails failed"
[ "$fails" = 0 ]
