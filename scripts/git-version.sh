#!/bin/sh
# Prints "<commit> <dirty>" for the source tree given, for version.h.
cd "$1" 2>/dev/null || { echo "unknown unknown"; exit 0; }
commit=$(git rev-parse HEAD 2>/dev/null) || { echo "unknown unknown"; exit 0; }
if git diff --quiet HEAD -- 2>/dev/null; then dirty=0; else dirty=1; fi
echo "$commit $dirty"
