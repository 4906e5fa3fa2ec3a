#!/usr/bin/env bash
# libxml2 never writes to stderr on its own: a malformed part gives
# gw-extract's one error line naming the file, the part and the line, and
# with every allocation failing in turn (failing_malloc.so preloaded: the
# Nth allocation and all after it fail) gw-extract's stderr holds its own
# lines only, never libxml2's "parser error : out of memory"; each run
# ends, and says "FILE: out of memory" (.docx, OFD, web page).
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

# A damaged container is still called damaged: libzip's "Not a zip
# archive" is taken for out of memory only when the archive passes every
# check behind that answer (zip.c), and these two fail one each.
# Copy $1 to $2 with the last byte of the $4th match of the 4-byte
# signature $3 (a grep -P pattern) replaced by the byte of octal code $5.
patch_signature() {
  local at
  at=$(LC_ALL=C grep -obUaP "$3" "$1" | sed -n "$4p" | cut -d: -f1)
  cp "$1" "$2"
  printf "\\$5" | dd of="$2" bs=1 seek=$((at + 3)) conv=notrunc status=none
}
patch_signature "$formats/report.docx" "$tmp/bad-local.docx" 'PK\x03\x04' 2 005
patch_signature "$formats/report.docx" "$tmp/bad-central.docx" 'PK\x01\x02' 2 007
for bad in bad-local bad-central; do
  rc=$(status_of "$bin/gw-extract" "$formats/report.docx" "$tmp/$bad.docx")
  check "$bad.docx: exit 1" test "$rc" = 1
  check "$bad.docx: a damaged ZIP container, not out of memory" \
    grep -q "^gw-extract: error: .*$bad.docx: damaged ZIP container (Not a zip archive)$" "$tmp/err"
done

if [ "$sanitized" = 1 ]; then
  finish
  exit $?
fi

# Every allocation from the first after start-up to the last fails in
# turn for the web page; for the ZIP formats the first 30, then 60 spread
# over the rest, to keep the test to minutes on a loaded machine (every
# allocation of all four passed by hand).  Each run has a bound: libxml2 2.9's HTML parser used to loop for
# ever once memory ran out (html.c stops it now); a run past the bound is a
# failure, and the fixture's remaining runs are skipped.  The bound is on
# CPU time (SIGXCPU, exit 152, or SIGKILL at the hard limit, exit 137, where
# SIGXCPU is ignored), set in a subshell: a wrapper process would cost more
# than the run itself.
bounded_extract() { # allocation, file
  (ulimit -t 20 && GW_FAIL_ALLOC=$1 LD_PRELOAD="$shim" exec "$bin/gw-extract" --format json "$2")
}
for fixture in report.docx lists.docx report.ofd report.html; do
  GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin/gw-extract" --help > /dev/null 2>&1
  first=$(cat "$tmp/count")
  GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin/gw-extract" --format json "$formats/$fixture" > /dev/null 2>&1
  last=$(cat "$tmp/count")
  bad=0 failing=0 misnamed=0 hung=0 loader=0
  allocations=$(seq "$first" "$last")
  case $fixture in
    *.docx | *.ofd)
      allocations="$(seq "$first" $((first + 29))) $(seq $((first + 30)) $(((last - first) / 60 + 1)) "$last")" ;;
  esac
  for n in $allocations; do
    rc=$(status_of bounded_extract "$n" "$formats/$fixture")
    if [ "$rc" = 152 ] || [ "$rc" = 137 ]; then
      echo "$fixture, allocation $n failing: still running after 20 s of CPU" >&2
      hung=1
      break
    fi
    [ "$rc" = 2 ] && failing=$((failing + 1))
    # The one exception: the document module is loaded (dlopen) at the
    # first .docx, OFD or page, and with it libstdc++ (libxml2 → ICU).
    # When the allocation that fails is the one in which glibc's dynamic
    # loader makes or grows its table of libstdc++'s unique symbols
    # (dl-lookup.c, do_lookup_unique), the loader itself ends the process:
    # "out of memory", exit 127, nothing else.  No library can catch that;
    # it is counted apart, and bounded below.
    if [ "$rc" = 127 ] && [ "$(cat "$tmp/err")" = "out of memory" ] && [ ! -s "$tmp/out" ]; then
      loader=$((loader + 1))
      continue
    fi
    if [ -n "$(foreign_lines)" ] || { [ "$rc" != 0 ] && [ "$rc" != 2 ]; }; then
      [ "$bad" = 0 ] && echo "$fixture, allocation $n failing: exit $rc, $(head -c 300 "$tmp/err")" >&2
      bad=$((bad + 1))
    fi
    # Out of memory is said as such, naming the file, never as damage
    # (nor, for the GB18030 page, as an encoding iconv cannot convert: its
    # iconv_open fails with ENOMEM).  One line of stderr is not the
    # library's: gw-extract's own "out of memory" alone, when writing the
    # extracted text runs out (the last few allocations).
    if [ "$rc" = 2 ] && ! grep -q "$fixture: out of memory" "$tmp/err" &&
       [ "$(cat "$tmp/err")" != "gw-extract: error: out of memory" ]; then
      [ "$misnamed" = 0 ] && echo "$fixture, allocation $n failing: $(head -c 300 "$tmp/err")" >&2
      misnamed=$((misnamed + 1))
    fi
  done
  check "$fixture: every run ends (none still running after 20 s of CPU)" test "$hung" = 0
  check "$fixture: out of memory named as such, with the file" test "$misnamed" = 0
  check "$fixture: allocations failing in turn ($failing stopped it): nothing but gw-extract's lines on stderr" test "$bad" = 0
  check "$fixture: allocations failing stopped it at least once" test "$failing" -gt 0
  check "$fixture: at most the loader's 3 unique-symbol allocations end it ($loader did)" \
    test "$loader" -le 3
done
finish
