# Sourced by the cli tests: a temporary folder to work in (removed on exit)
# and check(), which counts failures in $fails.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() {   # check WHAT COMMAND...: COMMAND must succeed
  local what=$1; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; fails=$((fails + 1)); fi
}
