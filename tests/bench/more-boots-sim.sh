#!/bin/bash
# Validation of compare's "+N boots" by simulation, with more trials than
# the unit test runs: comparisons of 40 rows (normal or t3 boots), one row
# shifted; wherever a row says +N, every row gets N more boots a side and
# that row must then be decided in at least 80% of the cases.
#   tests/bench/more-boots-sim.sh [TRIALS]     (default 200; build first)
set -u
bin=$(dirname "$0")/../../build/tests/test-compare
[ -x "$bin" ] || { echo "no $bin: run scripts/build" >&2; exit 1; }
XB_SIM_TRIALS=${1:-200} "$bin" 2>&1 | grep -E '^[0-9]+\+[0-9]+, shift|FAILED|ERROR'
