#!/bin/bash
# The report of a `daxbench share` run: the charts of host memory against N
# per mode and of exec startup (drawn by `daxbench plot`, the same as on the
# run's page of `daxbench publish`), the memory dax saves per guest, and exec
# startup cold and warm, as Markdown on stdout. $DAXBENCH names the daxbench
# binary (default: build/harness/daxbench, else the installed one).
#   plots/share-report.sh DB [RUN_ID] [OUTDIR]   (default: latest share run, docs/)
# Every figure comes from `daxbench list --json` and `daxbench show --json`
# (only results-db/ speaks SQL); the work is in share-report.py.
set -euo pipefail
: "${1:?usage: share-report.sh DB [RUN_ID] [OUTDIR]}"
exec python3 "$(cd "$(dirname "$0")" && pwd)/share-report.py" "$@"
