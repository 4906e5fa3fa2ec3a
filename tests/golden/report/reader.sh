#!/bin/bash
# ctest golden_report_reader: what gw-report reads of the records.
#   reader.sh BIN_DIR SOURCE_DIR WORK_DIR
# - self_ratio: null (gw-dups knew no unit for the report), a number with
#   a unit (kept, 0 included), 0 without a unit (an older gw-dups: unknown
#   too), in JSON and JSON Lines, in the data and the CSV;
# - the line a record gives: shown where the original cannot be read;
#   gw-gap's findings, which carry "line" themselves, have it once.
set -u
bin=$1 src=$2 work=$3
here=$src/tests/golden/report
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$src" || exit 1

# self_ratio null, 0.25, 0 (unit 乙局), 0 (no unit)
"$bin/gw-report" "$here/self_ratio.json" --format json --compact > "$work/self.json" ||
  fail "self_ratio: gw-report exited $?"
selfs=$(grep -o '"self_copy":[^,]*' "$work/self.json" | cut -d: -f2 | tr '\n' ' ')
[ "$selfs" = "null 0.25 0 null " ] || fail "self_ratio: self_copy is '$selfs', not 'null 0.25 0 null '"
"$bin/gw-report" "$here/self_ratio.json" -o "$work/self.html" || fail "self_ratio: page: exit $?"
# CSV column 10 (本单位往年复制比), rows by 复制比: 001, 003, 000, 002
cols=$(tail -n +2 "$work/self.csv" | tr -d '\r' | cut -d, -f3,10 | tr '\n' ' ')
[ "$cols" = "corpus/001_84632f9a43899128.txt,25.0% corpus/003_1973e543c9b997a8.txt, corpus/000_c510bc378b158120.txt, corpus/002_1aded01d7d411218.txt,0.0% " ] ||
  fail "self_ratio: CSV path,self-copy columns are '$cols'"
# The same as JSON Lines (one record a line, as gw-dups --format jsonl).
{
  printf '{"record":"parameters","family_min_documents":3}\n'
  sed -n '/"documents":/,$p' "$here/self_ratio.json" | tr -d '\n\t' |
    sed 's/^"documents":\[//; s/\]}$//; s/}, {/}\n{/g' | sed 's/^{/{"record":"document",/'
  echo
} > "$work/self.jsonl"
"$bin/gw-report" "$work/self.jsonl" --format json --compact > "$work/self.jsonl.json" ||
  fail "self_ratio JSON Lines: gw-report exited $?"
cmp -s "$work/self.json" "$work/self.jsonl.json" || fail "self_ratio: JSON Lines give another report"

# A report whose original is gone: the lines of its passages and family
# places are gw-dups's, not unknown.
"$bin/gw-dups" corpus/ > "$work/live.json" || fail "gw-dups exited $?"
sed 's#corpus/004_c0ae98798d36dd3b.txt#corpus/gone.txt#g' "$work/live.json" > "$work/gone.json"
grep -q '"line":' "$work/gone.json" || fail "gw-dups's records carry no line"
"$bin/gw-report" "$work/gone.json" --format json --compact > "$work/gone.report.json" 2> /dev/null
rc=$?
[ $rc -eq 1 ] || fail "missing original: exit $rc, not 1"
n=$(grep -o '"line_[ab]":[0-9]*' "$work/gone.report.json" | wc -l)
[ "$n" -gt 0 ] || fail "missing original: no passage lines"
grep -q -E '"line(_[ab])?":null' "$work/gone.report.json" && fail "missing original: a line is unknown"
# ... and they are the lines the page counts when the original is there
"$bin/gw-report" "$work/live.json" --format json --compact > "$work/live.report.json"
a=$(grep -o '"line_[ab]":[0-9]*' "$work/live.report.json" | tr '\n' ' ')
b=$(grep -o '"line_[ab]":[0-9]*' "$work/gone.report.json" | tr '\n' ' ')
[ -n "$a" ] && [ "$a" = "$b" ] || fail "missing original: other lines than with the original"

# gw-gap's findings carry "line": the data has it once per finding.
"$bin/gw-gap" corpus/004_c0ae98798d36dd3b.txt --corpus corpus/ > "$work/gap.json" 2> /dev/null
grep -q '"line":' "$work/gap.json" || fail "gw-gap's findings carry no line"
"$bin/gw-report" "$work/gap.json" --format json --compact > "$work/gap.report.json" || fail "gap: exit $?"
# each finding ("term") has one "line", and each altered part ("part") its own
sed -n 's/.*"gap":\(.*\)}$/\1/p' "$work/gap.report.json" | grep -o '"broken":.*' > "$work/findings"
terms=$(grep -o '"term":' "$work/findings" | wc -l)
parts=$(grep -o '"part":' "$work/findings" | wc -l)
lines=$(grep -o '"line":' "$work/findings" | wc -l)
[ "$terms" -gt 0 ] || fail "gap: no findings"
[ "$lines" -eq $((terms + parts)) ] || fail "gap: $lines \"line\" keys for $terms findings and $parts altered parts"

if [ $fails -gt 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "golden_report_reader: all passed"
