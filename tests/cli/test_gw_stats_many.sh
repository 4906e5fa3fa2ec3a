#!/usr/bin/env bash
# gw-stats over 100,000 inputs: linear in the number of files.  The
# quadratic version took about 3.5 minutes here, the linear one seconds;
# ctest's TIMEOUT is the bound, no time is asserted.  The inputs are one
# tiny file listed 100,000 times (--list), so that the test measures the
# tool and not the file system; one character is too short to fingerprint,
# so copy detection has no pair to report.
# usage: test_gw_stats_many.sh BIN_DIR
set -u
stats=$1/gw-stats
. "$(dirname "$0")/harness.sh"

echo "甲" > "$tmp/one.txt"
yes "$tmp/one.txt" | head -n 100000 > "$tmp/list.txt"
check "100,000 inputs" test "$(status_of "$stats" --compact --list "$tmp/list.txt")" = 0
check "all counted" grep -q '^{"documents":100000,' "$tmp/out"
check "each listed once" test "$(grep -o '"encoding":"utf-8"' "$tmp/out" | wc -l)" = 100000

finish
