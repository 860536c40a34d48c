#!/bin/sh
# Prints "<commit> <dirty>" for the source tree given, for version.h;
# "unknown unknown" when it is not a git checkout of its own (a release
# tarball, even one unpacked inside another repository's work tree).
cd "$1" 2>/dev/null || { echo "unknown unknown"; exit 0; }
top=$(git rev-parse --show-toplevel 2>/dev/null) || { echo "unknown unknown"; exit 0; }
[ "$(cd "$top" && pwd -P)" = "$(pwd -P)" ] || { echo "unknown unknown"; exit 0; }
commit=$(git rev-parse HEAD 2>/dev/null) || { echo "unknown unknown"; exit 0; }
if git diff --quiet HEAD -- 2>/dev/null; then dirty=0; else dirty=1; fi
echo "$commit $dirty"
