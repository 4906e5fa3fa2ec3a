#!/usr/bin/env bash
# Each tool's man page exists, lists the options --help lists (by name), and
# is installed by `cmake --install`.
# usage: test_man.sh BIN_DIR BUILD_DIR
set -u
bin=$1
build=$2
. "$(dirname "$0")/harness.sh"

for tool in gw-seg gw-terms gw-gap gw-dups gw-stats gw-report gw-extract gw-archive; do
  page="$build/man/man1/$tool.1"
  check "$tool.1 exists" test -s "$page"
  "$bin/$tool" --help | grep '^  --' | grep -o -- '--[a-z][a-z0-9-]*' | sort -u > "$tmp/help.txt"
  grep -A1 '^\.TP' "$page" | grep '^\.B' | grep -o -- '\\-\\-[a-z][a-z0-9\\-]*' |
    sed 's/\\-/-/g' | sort -u > "$tmp/man.txt"
  check "$tool: --help lists options" test "$(wc -l < "$tmp/help.txt")" -ge 2
  check "$tool.1 lists the options --help lists" cmp -s "$tmp/help.txt" "$tmp/man.txt"
  check "$tool.1 is named" grep -q "^\.TH $(echo "$tool" | tr a-z A-Z) 1" "$page"
  if command -v man > /dev/null; then
    check "$tool.1 renders without warnings" bash -c "LANG=C.UTF-8 man --warnings -l '$page' 2>&1 >/dev/null | (! grep -q .)"
  fi
done

cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
for tool in gw-seg gw-terms gw-gap gw-dups gw-stats gw-report gw-extract gw-archive; do
  check "$tool.1 installed" cmp -s "$build/man/man1/$tool.1" "$tmp/prefix/share/man/man1/$tool.1"
done

finish
