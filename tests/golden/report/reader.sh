#!/bin/bash
# ctest golden_report_reader: what gw-report reads of the records.
#   reader.sh BIN_DIR SOURCE_DIR WORK_DIR
# - self_ratio: null (gw-dups knew no unit for the report), a number with
#   a unit (kept, 0 included), 0 without a unit (an older gw-dups: unknown
#   too), in JSON and JSON Lines, in the data and the CSV;
# - the line and column a record gives: shown where the original cannot be
#   read, and the same as those gw-report counts in the original (GB18030
#   with CR LF, a BOM, characters outside the BMP); gw-gap's findings,
#   which carry "line" and "column" themselves, have each once.
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

# Every line and column the page shows, counted in the originals, equals
# the record's (read when no original is found, --root naming no folder):
# corpus/; the batch (GB18030 with CR LF, a BOM, a base document, families);
# two reports with characters outside the BMP (two UTF-16 code units, one
# column) before and inside their shared passage, on a CR LF line.
mkdir -p "$work/astral"
shared='各级党组织要切实担负起意识形态工作的主体责任，把意识形态工作纳入重要议事日程，定期分析研判意识形态领域情况，及时解决突出问题，确保各项任务落到实处。'
printf '关于二〇二三年工作情况的报告\r\n一、𠮷𠮷工作开展情况：𩸽%s\r\n二、存在的问题\r\n' "$shared" > "$work/astral/a.txt"
printf '二〇二三年工作总结\n首先𠀋𠀋𠀋，%s𠮷其次\n' "$shared" > "$work/astral/b.txt"
positions() { grep -o -E '"(line|column)(_[ab])?":[0-9a-z]*' "$1" | tr '\n' ' '; }
for set in corpus:corpus/ batch:"$here/batch/docs --base $here/batch/base/通知.txt" astral:"$work/astral"; do
  name=${set%%:*}
  # shellcheck disable=SC2086 # the folders and options of each set
  "$bin/gw-dups" ${set#*:} > "$work/$name.dups.json" || fail "$name: gw-dups exited $?"
  grep -q '"column":' "$work/$name.dups.json" || fail "$name: gw-dups's records carry no column"
  "$bin/gw-report" "$work/$name.dups.json" --format json --compact > "$work/$name.counted.json" ||
    fail "$name: gw-report exited $?"
  "$bin/gw-report" "$work/$name.dups.json" --root "$work/nowhere" --format json --compact \
    > "$work/$name.read.json" 2> /dev/null
  counted=$(positions "$work/$name.counted.json")
  read_=$(positions "$work/$name.read.json")
  [ -n "$counted" ] && ! grep -q null <<< "$counted" || fail "$name: a line or column unknown: $counted"
  [ "$counted" = "$read_" ] || fail "$name: lines and columns counted differ from the records': $counted / $read_"
  grep -q '"column_[ab]":' <<< "$counted" || fail "$name: no passage columns"
done
# the passage of the astral pair: a at line 2 after 一、𠮷𠮷工作开展情况：𩸽 (the
# passage may start a character or two later), columns in characters
col=$(grep -o '"column_a":[0-9]*' "$work/astral.counted.json" | head -1 | cut -d: -f2)
[ "${col:-0}" -ge 13 ] && [ "${col:-0}" -le 16 ] || fail "astral: passage column $col"

# gw-gap's findings carry "line": the data has it once per finding.
"$bin/gw-gap" corpus/004_c0ae98798d36dd3b.txt --corpus corpus/ > "$work/gap.json" 2> /dev/null
grep -q '"line":' "$work/gap.json" || fail "gw-gap's findings carry no line"
"$bin/gw-report" "$work/gap.json" --format json --compact > "$work/gap.report.json" || fail "gap: exit $?"
# each finding ("term") has one "line", and each altered part ("part") its own
sed -n 's/.*"gap":\(.*\)}$/\1/p' "$work/gap.report.json" | grep -o '"broken":.*' > "$work/findings"
terms=$(grep -o '"term":' "$work/findings" | wc -l)
parts=$(grep -o '"part":' "$work/findings" | wc -l)
lines=$(grep -o '"line":' "$work/findings" | wc -l)
columns=$(grep -o '"column":' "$work/findings" | wc -l)
[ "$terms" -gt 0 ] || fail "gap: no findings"
[ "$lines" -eq $((terms + parts)) ] || fail "gap: $lines \"line\" keys for $terms findings and $parts altered parts"
[ "$columns" -eq $((terms + parts)) ] || fail "gap: $columns \"column\" keys for $terms findings and $parts altered parts"

if [ $fails -gt 0 ]; then
  echo "$fails failure(s)"
  exit 1
fi
echo "golden_report_reader: all passed"
