#!/bin/bash
# The man pages (made from --help by scripts/help2roff) and the bash
# completion (scripts/completion/daxbench.bash), on the built daxbench:
# every command has a page that renders without warnings and names every
# option its --help names; completion offers the commands, a command's
# options and an option's valid values.
#   man-completion.sh MANDIR COMPLETION   ($DAXBENCH: the binary)
set -u
D=${DAXBENCH:?} mandir=${1:?} comp=${2:?}
. "$(dirname "$0")/lib.sh"
command -v man >/dev/null || { echo "SKIP: man is not installed (apt-get install man-db)"; exit 77; }
cmds=$("$D" --help | sed -n '/^Commands:/,/^$/s/^  \([^ ]\+\) .*/\1/p')
check "commands listed" [ "$(echo "$cmds" | wc -w)" -ge 10 ]
render() { MANWIDTH=200 man --warnings -E UTF-8 -l "$1" 2>"$tmp/w" | col -b; }
for page in daxbench $(printf 'daxbench-%s ' $cmds); do
  f=$mandir/$page.1
  check "$page.1 exists" [ -s "$f" ] || continue
  render "$f" >"$tmp/p"
  check "$page.1 renders without warnings" [ ! -s "$tmp/w" ]
  check "$page.1 has NAME and SYNOPSIS" grep -q "^NAME" "$tmp/p" && grep -q "^SYNOPSIS" "$tmp/p"
  if [ "$page" = daxbench ]; then h=$("$D" --help); else h=$("$D" "${page#daxbench-}" --help); fi
  missing=
  for o in $(echo "$h" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
    grep -q -- "$o" "$tmp/p" || missing="$missing $o"
  done
  check "$page.1 names every option of its --help${missing:+ (missing:$missing)}" [ -z "$missing" ]
done
check "man -l finds the run page's --dry-run" grep -q -- --dry-run <(render "$mandir/daxbench-run.1")

complete_words() {   # complete_words WORD...: what completing the last word offers
  PATH=$(dirname "$D"):$PATH bash -c 'source "$1"; shift; COMP_WORDS=("$@");
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _daxbench; echo "${COMPREPLY[*]}"' _ "$comp" "$@"
}
check "completes every command" [ "$(complete_words daxbench '' | tr ' ' '\n' | grep -cxF "$cmds")" = "$(echo "$cmds" | wc -l)" ]
check "completes 'comp' to compare compare-kernels" [ "$(complete_words daxbench comp)" = "compare compare-kernels" ]
check "completes run's --dry-run" grep -qw -- --dry-run <<<"$(complete_words daxbench run --dr)"
check "completes --accel values" [ "$(complete_words daxbench run --accel '')" = "auto tcg kvm" ]
check "completes --fs values" [ "$(complete_words daxbench run --fs '')" = "ext4 xfs" ]
check "completes help's command" [ "$(complete_words daxbench help kern)" = "kernels" ]
echo "$fails failed"
[ "$fails" = 0 ]
