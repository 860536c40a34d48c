#!/bin/bash
# Sensitivity of daxbench compare on recorded A/A boots: false positives and
# detection rates of injected 1/2/5/10% shifts, per metric, at several boots
# per side (daxbench compare --simulate). Needs a database holding A/A runs:
#   tests/bench/compare-sensitivity.sh DB SEL_A SEL_B [BOOTS...]
# e.g. two labels of alternately recorded boots of one kernel. Resampling is
# without replacement while the pooled boots hold 2 x BOOTS, else with.
set -u
: "${DAXBENCH:=$(dirname "$0")/../../build/harness/daxbench}"
[ $# -ge 3 ] || { echo "usage: $0 DB SEL_A SEL_B [BOOTS...]" >&2; exit 2; }
db=$1 a=$2 b=$3; shift 3
[ $# -gt 0 ] || set -- 4 5 6 8 12
for n in "$@"; do
  "$DAXBENCH" compare --db "$db" --no-store --simulate 0,0.01,0.02,0.05,0.10 \
    --boots "$n" --trials "${XB_TRIALS:-1000}" "$a" "$b" || exit 1
  echo
done
