#!/bin/bash
# ctest golden_<tool>: the tool's JSON on corpus/ compared as JSON values
# with the expected file (json_compare: members, order, values; each
# difference named by its place).  Run in the source tree, so that the
# paths in the output are "corpus/...".
#   run.sh JSON_COMPARE EXPECTED WORK_FILE TOOL [ARGS...]
#   GW_GOLDEN_UPDATE=1 writes the expected file instead (review the diff).
set -u
compare=$1 expected=$2 work=$3
shift 3
"$@" > "$work"
status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: $* exited $status"
  exit 1
fi
if [ "${GW_GOLDEN_UPDATE:-}" = 1 ]; then
  cp "$work" "$expected"
  echo "updated $expected"
  exit 0
fi
"$compare" "$expected" "$work"
