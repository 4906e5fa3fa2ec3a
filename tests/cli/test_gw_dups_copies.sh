#!/usr/bin/env bash
# gw-dups on the same report handed in by several units (identical bytes
# under different paths): every copy is reported, the copies are one
# family, ratio 1 each, and the report is prepared once (each file is read,
# the copies are not matched against the terms nor prepared again: counted
# by a preloaded shim, count_calls.so; not in sanitized builds, whose
# runtime must come first).  A file given twice is still analysed once,
# with a warning.
# usage: test_gw_dups_copies.sh BIN_DIR CORPUS_DIR SHIM SANITIZED
set -u
bin=$1/gw-dups
corpus=$2
shim=$3
sanitized=$4
. "$(dirname "$0")/harness.sh"

s003="$corpus/003_1973e543c9b997a8.txt"
units="u1 u2 u3 u4 u5"
mkdir "$tmp/batch"
for u in $units; do
  mkdir "$tmp/batch/$u"
  cp "$s003" "$tmp/batch/$u/report.txt"
done
for s in 000 001 002 004; do cp "$corpus/$s"_*.txt "$tmp/batch/"; done

# Loaded and prepared: "loaded N prepared M" of the last run (or "skipped").
calls() {
  if [ "$sanitized" = 1 ] || [ "$sanitized" = ON ] || [ "$sanitized" = TRUE ]; then
    echo skipped
    return
  fi
  GW_COUNT_CALLS="$tmp/calls" LD_PRELOAD="$shim" "$@" > "$tmp/shim.out" 2> "$tmp/shim.err"
  tr '\n' ' ' < "$tmp/calls"
}
counted() { # expected, then the command
  local want=$1
  shift
  local got
  got=$(calls "$@")
  [ "$got" = skipped ] || [ "$got" = "$want" ] || { echo "got: $got" >&2; return 1; }
}

check "five copies among nine" test "$(status_of "$bin" --format jsonl --no-terms "$tmp/batch")" = 0
cp "$tmp/out" "$tmp/copies.jsonl"
check "every copy is reported" test "$(grep -c '^{"record":"document","path":"[^"]*/u[1-5]/report.txt"' "$tmp/copies.jsonl")" = 5
for u in $units; do
  check "$u: ratio 1" grep -q "^{\"record\":\"document\",\"path\":\"[^\"]*/$u/report.txt\",\"characters\":2907,\"official\":0,\"copied\":2907,\"copy_ratio\":1," "$tmp/copies.jsonl"
done
# the family holding the copies' whole text: the five, all of each
grep '^{"record":"family"' "$tmp/copies.jsonl" | grep '"members":\[{"path":"[^"]*/u1/report.txt","paragraph":0,"start":0,' > "$tmp/family"
check "one family holds the copies' text" test "$(wc -l < "$tmp/family")" = 1
check "a family of the five copies" grep -q '^{"record":"family","documents":5,' "$tmp/family"
for u in $units; do
  check "$u: in the family, to its end" grep -q "{\"path\":\"[^\"]*/$u/report.txt\",\"paragraph\":[0-9]*,\"start\":[0-9]*,\"end\":9627," "$tmp/family"
done
check "no note on stderr for copies" test ! -s "$tmp/err"
check "1 and 4 threads byte-identical" test \
  "$(status_of "$bin" --format jsonl --no-terms --threads 1 "$tmp/batch")" = 0
cp "$tmp/out" "$tmp/t1.jsonl"
status_of "$bin" --format jsonl --no-terms --threads 4 "$tmp/batch" > /dev/null
check "1 and 4 threads: the same" cmp -s "$tmp/out" "$tmp/t1.jsonl"

# prepared once: nine files, five of them the same.  The counts are taken
# on one thread: with several, two copies read at the same moment may both
# be prepared before either has claimed the text (the output is the same,
# checked above for 1 and 4 threads), so the count there depends on timing.
check "the report is prepared once" counted "loaded 9 prepared 5 " \
  "$bin" --format jsonl --no-terms --threads 1 "$tmp/batch"
[ -e "$tmp/shim.out" ] && check "with the shim, the same output" cmp -s "$tmp/shim.out" "$tmp/copies.jsonl"
# the same bytes read otherwise (another extension) are another document
cp "$s003" "$tmp/report.md"
check "another extension is prepared apart" counted "loaded 10 prepared 6 " \
  "$bin" --format jsonl --no-terms --threads 1 "$tmp/batch" "$tmp/report.md"
# the same file twice: analysed once, warned about
check "a path given twice" test "$(status_of "$bin" --compact --no-terms "$tmp/batch" "$tmp/batch/u2/report.txt")" = 0
check "a path given twice: warned" grep -q "warning: $tmp/batch/u2/report.txt is $tmp/batch/u2/report.txt again: analysed once" "$tmp/err"
check "a path given twice: one record" test "$(grep -o '"path":"[^"]*/u2/report.txt","characters":[0-9]*,"official"' "$tmp/out" | wc -l)" = 1
check "a path given twice: read once" counted "loaded 9 prepared 5 " \
  "$bin" --compact --no-terms --threads 1 "$tmp/batch" "$tmp/batch/u2/report.txt"

# a copy given as a base document: the others' text is all base text
check "a copy as the base" test "$(status_of "$bin" --format jsonl --no-terms --base "$tmp/batch/u1/report.txt" "$tmp/batch")" = 0
for u in u2 u3 u4 u5; do
  check "$u: nothing copied, all base" grep -q "^{\"record\":\"document\",\"path\":\"[^\"]*/$u/report.txt\",\"characters\":2907,\"official\":0,\"copied\":0,\"copy_ratio\":0,.*\"base\":2907,.*\"base_sources\":\[{\"path\":\"[^\"]*/u1/report.txt\"" "$tmp/out"
done
check "a copy as the base: prepared once" counted "loaded 9 prepared 5 " \
  "$bin" --format jsonl --no-terms --threads 1 --base "$tmp/batch/u1/report.txt" "$tmp/batch"
finish
