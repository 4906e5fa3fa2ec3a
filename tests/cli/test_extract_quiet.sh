#!/usr/bin/env bash
# libxml2 never writes to stderr on its own: a malformed part gives
# gw-extract's one error line naming the file, the part and the line, and
# with every allocation failing in turn (failing_malloc.so preloaded: the
# Nth allocation and all after it fail) gw-extract's stderr holds its own
# "out of memory" lines only, never libxml2's "parser error : out of
# memory".
#
# usage: test_extract_quiet.sh BIN_DIR FORMATS_DIR SHIM SANITIZED
# Sanitizers replace malloc themselves: the shim part is skipped there.
set -u
bin=$1 formats=$2 shim=$3 sanitized=${4:-0}
. "$(dirname "$0")/harness.sh"

# Lines of $tmp/err that are not gw-extract's own.
foreign_lines() { grep -v '^gw-extract: ' "$tmp/err"; }

rc=$(status_of "$bin/gw-extract" "$formats/report.docx" "$formats/bad-xml.docx")
check "malformed part: exit 1" test "$rc" = 1
check "malformed part: one line" test "$(wc -l < "$tmp/err")" = 1
check "malformed part: file, part and line named" \
  grep -q "^gw-extract: error: .*bad-xml.docx: word/document.xml: malformed XML (line 2: " "$tmp/err"
check "malformed part: nothing of libxml2's" test -z "$(foreign_lines)"

if [ "$sanitized" = 1 ]; then
  finish
  exit $?
fi

# Dense over the first allocations after start-up (libxml2's own set-up
# runs out there), then spread over the whole run.  Not report.html:
# libxml2 2.9's HTML parser can loop for ever once memory runs out (it
# retries a failed copy without moving on), which no error handler can
# stop safely.
for fixture in report.docx lists.docx report.ofd; do
  GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin/gw-extract" --help > /dev/null 2>&1
  first=$(cat "$tmp/count")
  GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin/gw-extract" --format json "$formats/$fixture" > /dev/null 2>&1
  last=$(cat "$tmp/count")
  step=$(((last - first) / 30 + 1))
  bad=0 failing=0 misnamed=0
  for n in $(seq "$first" $((first + 30))) $(seq $((first + 31)) "$step" "$last"); do
    rc=$(GW_FAIL_ALLOC=$n LD_PRELOAD="$shim" status_of "$bin/gw-extract" --format json "$formats/$fixture")
    [ "$rc" = 2 ] && failing=$((failing + 1))
    if [ -n "$(foreign_lines)" ] || { [ "$rc" != 0 ] && [ "$rc" != 2 ]; }; then
      [ "$bad" = 0 ] && echo "$fixture, allocation $n failing: exit $rc, $(head -c 300 "$tmp/err")" >&2
      bad=$((bad + 1))
    fi
    # Out of memory is said as such, naming the file, never as damage.
    # (One exception libzip leaves no way around: when its own allocation
    # fails while it reads the central directory it says 'Not a zip archive'.)
    if [ "$rc" = 2 ] && { grep -v 'Not a zip archive' "$tmp/err" | grep -q 'damaged\|cannot be read\|malformed' ||
                          ! grep -q "$fixture: out of memory\|Not a zip archive" "$tmp/err"; }; then
      [ "$misnamed" = 0 ] && echo "$fixture, allocation $n failing: $(head -c 300 "$tmp/err")" >&2
      misnamed=$((misnamed + 1))
    fi
  done
  check "$fixture: out of memory named as such, with the file" test "$misnamed" = 0
  check "$fixture: allocations failing in turn ($failing stopped it): nothing but gw-extract's lines on stderr" test "$bad" = 0
  check "$fixture: allocations failing stopped it at least once" test "$failing" -gt 0
done
finish
