# Shared helpers of the integration tests (sourced).
set -u
: "${DAXBENCH:?set by meson: path of the daxbench binary}"
export CI="${CI:-true}"   # no progress lines in test logs
TMP=$(mktemp -d "${TMPDIR:-/tmp}/daxbench test.XXXXXX")   # a space on purpose
trap 'rm -rf "$TMP"' EXIT
FAILS=0
CHECKS=0

ok()   { CHECKS=$((CHECKS + 1)); echo "ok: $*"; }
bad()  { CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1)); echo "FAIL: $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
q()    { sqlite3 -batch -noheader "$1" "$2"; }
finish() {
  echo "$CHECKS checks, $FAILS failed"
  [ "$FAILS" = 0 ]
}
