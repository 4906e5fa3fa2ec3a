#!/bin/bash
# ctest golden_report: gw-report's data, the JSON embedded in its page,
# compared with the expected files of this folder; the page's bytes are the
# same run after run; the CSV; JSON Lines input; a missing original; a
# report whose text holds "</script>".
#   run.sh BIN_DIR SOURCE_DIR WORK_DIR
set -u
bin=$1 src=$2 work=$3
here=$src/tests/golden/report
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$src" || exit 1

# The page's data: what --format json prints, and what the page embeds:
# what the first view needs on one line (gw-data), then after the script
# the late parts, one JSON value a line (gw-late-text, -sources,
# -base_sources, -passages, -clusters).  The e2e test puts them together
# again and compares them with --format json.
embedded() { # the line after the data's <script> tag, with '<' unescaped
  sed -n '/<script id="gw-data" type="application\/json">/{n;p;q}' "$1" | sed 's/\\u003c/</g'
}
late() { # the lines of a late part, with '<' unescaped
  sed -n "/<script id=\"gw-late-$2\" type=\"application\/x-ndjson\">/,/<\/script>/p" "$1" | sed '1d;$d;s/\\u003c/</g'
}
count() { grep -o "$1" | wc -l; }
# corpus: gw-dups over corpus/ (before families existed); batch: gw-dups
# with families and a --base document over batch/ (a GB18030 file with CR
# LF and a UTF-8 file with a BOM among them); draft: gw-gap's JSON for
# corpus/004 against corpus/ (broken formulations), no CSV; draft2024:
# gw-gap's JSON for draft_2024.txt against corpus/ (structure, stale); archive:
# gw-archive check's JSON for four of batch/'s reports against an archive
# of two others (archive_meta.tsv: 乙局's file is 丁局's 2022 report, so
# 丁局's 2023 report copies its own earlier one) with batch/'s base.
for case in corpus batch draft draft2024 archive; do
  input=$here/${case}_dups.json
  [ "$case" = draft ] && input=$here/draft_gap.json
  [ "$case" = draft2024 ] && input=$here/draft2024_gap.json
  [ "$case" = archive ] && input=$here/archive_check.json
  "$bin/gw-report" "$input" --format json > "$work/$case.json" || fail "$case: gw-report --format json exited $?"
  cmp -s "$work/$case.json" "$here/$case.expected.json" || { fail "$case: data differs from $case.expected.json"; diff "$here/$case.expected.json" "$work/$case.json" | head -20; }
  "$bin/gw-report" "$input" -o "$work/$case.html" || fail "$case: gw-report exited $?"
  "$bin/gw-report" "$input" -o "$work/$case.again.html" --csv "$work/$case.again.csv"
  cmp -s "$work/$case.html" "$work/$case.again.html" || fail "$case: two runs give different pages"
  [ "${case#draft}" != "$case" ] || cmp -s "$work/$case.csv" "$work/$case.again.csv" || fail "$case: two runs give different CSV"
  # the embedded data is --format json's, in parts: one line of a late part
  # per document, per pair, per cluster, and none of them in gw-data
  "$bin/gw-report" "$input" --format json --compact > "$work/$case.flat"
  embedded "$work/$case.html" > "$work/$case.embedded"
  docs=$(count '"lines":' < "$work/$case.flat")
  pairs=$(count '"copied_a":' < "$work/$case.flat")
  clusters=$(grep -o '"clusters":[0-9]*' "$work/$case.flat" | cut -d: -f2)
  [ "$docs" -gt 0 ] || fail "$case: no documents"
  for part in text:$docs sources:$docs base_sources:$docs passages:$pairs clusters:$clusters; do
    n=$(late "$work/$case.html" "${part%%:*}" | wc -l)
    [ "$n" -eq "${part#*:}" ] || fail "$case: $n lines in gw-late-${part%%:*}, not ${part#*:}"
  done
  # documents, pairs and families as tables (keys once, then rows), every
  # document's path in gw-data, no key of a late part among their keys
  doc_keys=$(grep -o '"documents":{"keys":\[[^]]*\]' "$work/$case.embedded")
  pair_keys=$(grep -o '"pairs":{"keys":\[[^]]*\]' "$work/$case.embedded")
  [ -n "$doc_keys" ] || fail "$case: the documents are not a table"
  [ "$pairs" -eq 0 ] || [ -n "$pair_keys" ] || fail "$case: the pairs are not a table"
  grep -o '"path":"[^"]*","unit":' "$work/$case.flat" | sed 's/^"path":\(.*\),"unit":$/\1/' | while read -r p; do
    grep -qF "[$p," "$work/$case.embedded" || echo "$p"
  done > "$work/$case.missing"
  [ -s "$work/$case.missing" ] && fail "$case: documents missing from gw-data: $(head -3 "$work/$case.missing")"
  echo "$doc_keys" | grep -q -E '"(text|sources|base_sources)"' && fail "$case: a late part is in gw-data"
  echo "$pair_keys" | grep -q '"passages"' && fail "$case: the passages are in gw-data"
  grep -q -E '"clusters":[[{]' "$work/$case.embedded" && fail "$case: the clusters are in gw-data"
  if [ "${case#draft}" != "$case" ]; then
    [ -e "$work/$case.csv" ] && fail "$case: a CSV was written"
  else
    cmp -s "$work/$case.csv" "$here/$case.expected.csv" || { fail "$case: CSV differs from $case.expected.csv"; diff "$here/$case.expected.csv" "$work/$case.csv" | head; }
  fi
  grep -q 'http' <(grep -v '^{' "$work/$case.html" | grep -E '(src|href)="https?:|url\(https?:|@import') && fail "$case: the page refers to the network"
done

# Families are drawn when present, and their text comes from the file.
grep -q '"has_families":	true' "$work/batch.json" || fail "batch: has_families is not true"
grep -q '"has_families":	false' "$work/corpus.json" || fail "corpus: has_families is not false"
grep -q '"found":	"同部署、同落实、同考核"' "$work/draft.json" || fail "draft: the broken formulation of corpus/004 is missing"
# gw-gap's sections and stale campaigns (draft2024: a draft of 2024 that
# lacks 存在的问题, cites 习近平总书记系列重要讲话精神 and 脱贫攻坚 as current),
# each finding with the line and column counted in the draft.
grep -q '"gap":	"missing"' "$work/draft2024.json" || fail "draft2024: no section missing"
grep -q '"term":	"脱贫攻坚"' "$work/draft2024.json" || fail "draft2024: no stale campaign"
grep -q '"superseded_by":	"习近平新时代中国特色社会主义思想"' "$work/draft2024.json" || fail "draft2024: no outdated formulation"

# gw-archive check: the earlier reports are sources, not reports of the
# batch; self-copy is the largest share from one earlier report of the
# unit (丁局's 2022 report), 0 for the others; JSON Lines give the same.
grep -q '"archived_documents":	2,' "$work/archive.json" || fail "archive: not 2 archived documents"
grep -q '"documents":	4,' "$work/archive.json" || fail "archive: not 4 reports"
[ "$(grep -c '"self_copy":	0.2605,' "$work/archive.json")" -eq 1 ] || fail "archive: 丁局's self-copy is not 0.2605"
[ "$(grep -c '"self_copy":	0,' "$work/archive.json")" -eq 3 ] || fail "archive: the other reports' self-copy is not 0"
grep -q '"relation":	"self_earlier"' "$work/archive.json" || fail "archive: no source marked self_earlier"
mkdir -p "$work/arc" && b=tests/golden/report/batch
"$bin/gw-archive" init "$work/arc/a" 2> /dev/null &&
  "$bin/gw-archive" add "$work/arc/a" --meta "$here/archive_meta.tsv" $b/docs/乙局/2023.txt $b/docs/甲局/2023.txt 2> /dev/null ||
  fail "gw-archive could not build the archive"
for f in json jsonl; do
  "$bin/gw-archive" check "$work/arc/a" --meta "$here/archive_meta.tsv" --base $b/base/通知.txt --format $f \
    $b/docs/丁局/2023.txt $b/docs/丙局/2023.txt $b/docs/戊局/2023.txt $b/docs/己局/2023.txt > "$work/arc/check.$f"
  "$bin/gw-report" "$work/arc/check.$f" --format json | grep -v '"path":	"/' > "$work/arc/report.$f" || fail "archive $f: exit $?"
done
cmp -s "$work/arc/report.json" "$work/arc/report.jsonl" || fail "archive: JSON Lines give another report"
grep -v '"path":	"archive.tmp"' "$work/archive.json" | cmp -s - "$work/arc/report.json" ||
  fail "archive: today's gw-archive check gives another report than archive_check.json"

# JSON Lines in, the same report out; a folder in runs gw-dups itself.
"$bin/gw-dups" corpus/ > "$work/live.json"
"$bin/gw-dups" --format jsonl corpus/ > "$work/live.jsonl"
"$bin/gw-report" "$work/live.json" --format json > "$work/live.report.json"
"$bin/gw-report" "$work/live.jsonl" --format json > "$work/live.jsonl.report.json"
cmp -s "$work/live.report.json" "$work/live.jsonl.report.json" || fail "JSON Lines input gives another report"
"$bin/gw-report" corpus/ --format json > "$work/folder.report.json" || fail "gw-report corpus/ exited $?"
cmp -s "$work/live.report.json" "$work/folder.report.json" || fail "gw-report corpus/ differs from gw-dups corpus/ | gw-report"
"$bin/gw-dups" corpus/ | "$bin/gw-report" --format json > "$work/stdin.report.json"
cmp -s "$work/live.report.json" "$work/stdin.report.json" || fail "stdin input gives another report"

# A missing original: the page is still written, exit 1, the file listed.
sed 's#corpus/004_c0ae98798d36dd3b.txt#corpus/gone.txt#g' "$here/corpus_dups.json" > "$work/missing.json"
"$bin/gw-report" "$work/missing.json" --format json > "$work/missing.report.json" 2> "$work/missing.err"
rc=$?
[ $rc -eq 1 ] || fail "missing original: exit $rc, not 1"
grep -q 'corpus/gone.txt' "$work/missing.err" || fail "missing original: not named on stderr"
grep -q '"error":	"' "$work/missing.report.json" || fail "missing original: no error in the data"

# Text that could end the data's <script> block.
mkdir -p "$work/inject"
para='在学习贯彻会议精神中，各单位坚持问题导向</script><script>alert(1)</script><!--，把意识形态工作责任制落到实处，确保各项任务落地见效。'
printf '关于意识形态工作的报告\n%s\n第二段是甲单位自己的文字内容。\n' "$para" > "$work/inject/a.txt"
printf '乙单位的报告\n%s\n乙单位另外写了一段不同的内容。\n' "$para" > "$work/inject/b.txt"
(cd "$work" && "$bin/gw-report" inject/ -o inject.html --no-csv) || fail "inject: gw-report exited $?"
n=$(grep -c '</script>' "$work/inject.html")
[ "$n" -eq 7 ] || fail "inject: $n '</script>' in the page, not 7 (the data, the script, five late parts)"
[ -e "$work/inject.csv" ] && fail "inject: --no-csv wrote a CSV"
late "$work/inject.html" text | grep -q 'alert(1)</script>' || fail "inject: the text is not in the data"

# Paths are found from --root, else from here, else from the JSON's folder.
(cd / && "$bin/gw-report" --root "$src" "$here/corpus_dups.json" --format json > "$work/root.json") || fail "--root: exit $?"
cmp -s "$work/root.json" "$here/corpus.expected.json" || fail "--root: other data"
(cd "$work" && "$bin/gw-dups" inject/ > inject.json)
(cd / && "$bin/gw-report" "$work/inject.json" --format json > /dev/null) || fail "paths beside the JSON file not found"
(cd / && "$bin/gw-report" "$here/corpus_dups.json" --format json > /dev/null 2>&1); rc=$?
[ $rc -eq 1 ] || fail "originals nowhere to be found: exit $rc, not 1"

# Records that are not what gw-dups writes: skipped or shown as they are,
# never a crash (a pair without "b", offsets past the end, a string for a
# number, a family member without a path).
doc=corpus/000_c510bc378b158120.txt
printf '{"documents":[{"path":"%s","copy_ratio":"high"}],"pairs":[{"a":"%s","passages":[]},{"a":"%s","b":"%s","passages":[{"kind":"copy","a":{"start":99999999,"end":-4},"b":{"start":"x"}}]}],"families":[{"members":[{"start":1},{"path":"%s","start":5,"end":2}]}]}' \
  "$doc" "$doc" "$doc" "$doc" "$doc" > "$work/odd.json"
"$bin/gw-report" "$work/odd.json" -o "$work/odd.html"; rc=$?
[ $rc -eq 0 ] || fail "odd records: exit $rc, not 0"
"$bin/gw-report" "$work/odd.json" --format json | grep -q '"pairs":	\[{' || fail "odd records: the pair with both documents is lost"

# Usage errors.
"$bin/gw-report" --format pdf "$here/corpus_dups.json" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--format pdf: exit $rc, not 2"
echo 'not json' > "$work/bad.json"
printf '[1,2]' | "$bin/gw-report" > /dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "an array on stdin: exit $rc, not 2"
"$bin/gw-report" --help | grep -q '^usage: gw-report' || fail "--help"
# The shared option layer: -o FILE, -oFILE and --output=FILE write the same
# page; a usage error names the option as given and exits 2.
"$bin/gw-report" "$here/corpus_dups.json" -o "$work/o1.html" --no-csv &&
  "$bin/gw-report" "$here/corpus_dups.json" -o"$work/o2.html" --no-csv &&
  "$bin/gw-report" "$here/corpus_dups.json" --output="$work/o3.html" --no-csv || fail "-o, -oFILE, --output=FILE: exit $?"
cmp -s "$work/o1.html" "$work/o2.html" && cmp -s "$work/o1.html" "$work/o3.html" || fail "-o, -oFILE and --output=FILE differ"
for args in "-o" "--csv" "--nope" "-x" "--format=pdf"; do
  "$bin/gw-report" "$here/corpus_dups.json" $args > "$work/usage.out" 2> "$work/usage.err"; rc=$?
  [ $rc -eq 2 ] || fail "$args: exit $rc, not 2"
  grep -q -- "gw-report: error: .*${args%%=*}" "$work/usage.err" || fail "$args: the error does not name it"
  [ -s "$work/usage.out" ] && fail "$args: something on stdout"
done
"$bin/gw-report" --version | grep -q '^gw-report (gongwen) ' || fail "--version"

# A bad --meta file: one message naming the file and line, exit 2, nothing
# on stdout, no page and no CSV written (a second, wrong "out of memory"
# line followed it once).
printf 'path\tunit\tyear\ncorpus/000_c510bc378b158120.txt\tunitA\t20x3\n' > "$work/bad_meta.tsv"
for format in html json; do
  rm -f "$work/meta_bad.html" "$work/meta_bad.csv"
  "$bin/gw-report" "$here/corpus_dups.json" --meta "$work/bad_meta.tsv" --format "$format" \
    -o "$work/meta_bad.html" > "$work/meta_bad.out" 2> "$work/meta_bad.err"; rc=$?
  [ $rc -eq 2 ] || fail "bad --meta ($format): exit $rc, not 2"
  [ "$(wc -l < "$work/meta_bad.err")" -eq 1 ] || { fail "bad --meta ($format): not one message"; cat "$work/meta_bad.err"; }
  grep -q "^gw-report: error: $work/bad_meta.tsv:2: the year" "$work/meta_bad.err" || fail "bad --meta ($format): FILE:LINE not named"
  [ -s "$work/meta_bad.out" ] && fail "bad --meta ($format): something on stdout"
  [ -e "$work/meta_bad.html" ] || [ -e "$work/meta_bad.csv" ] && fail "bad --meta ($format): a file was written"
done
"$bin/gw-report" "$here/corpus_dups.json" --meta "$work/bad_meta.tsv" > "$work/meta_bad.out" 2> "$work/meta_bad.err"; rc=$?
[ $rc -eq 2 ] && [ ! -s "$work/meta_bad.out" ] && [ "$(wc -l < "$work/meta_bad.err")" -eq 1 ] ||
  fail "bad --meta to stdout: exit $rc, $(wc -c < "$work/meta_bad.out") bytes out, $(wc -l < "$work/meta_bad.err") messages"
# Given a folder, a bad --meta is found before gw-dups runs: one message.
"$bin/gw-report" corpus/ --meta "$work/bad_meta.tsv" > "$work/meta_bad.out" 2> "$work/meta_bad.err"; rc=$?
[ $rc -eq 2 ] && [ ! -s "$work/meta_bad.out" ] && [ "$(wc -l < "$work/meta_bad.err")" -eq 1 ] ||
  fail "bad --meta with a folder: exit $rc, $(wc -c < "$work/meta_bad.out") bytes out, $(wc -l < "$work/meta_bad.err") messages"
"$bin/gw-report" "$here/corpus_dups.json" --meta "$work/no_such.tsv" > "$work/meta_bad.out" 2> "$work/meta_bad.err"; rc=$?
[ $rc -eq 2 ] && [ ! -s "$work/meta_bad.out" ] && [ "$(wc -l < "$work/meta_bad.err")" -eq 1 ] &&
  grep -q 'no_such.tsv' "$work/meta_bad.err" || fail "missing --meta file: exit $rc, or not one message naming it"

# Given folders and --meta, the gw-dups that gw-report runs gets --meta too:
# on the demonstration batch (examples/make-demo-batch.sh) the units and
# years are meta.tsv's, and the self-copy column (本单位往年) is gw-dups
# --meta's self_ratio: 县市场监管局's 2024 report is its 2023 one again,
# the other reports copy nothing of their own unit's, and the figure links
# to the pair with the earlier report (self_source).  Without --meta,
# gw-dups knows no units: no self-copy figure (a dash), not 0.
sh examples/make-demo-batch.sh "$work/demo" > /dev/null || fail "make-demo-batch.sh exited $?"
(cd "$work/demo" && "$bin/gw-report" --meta meta.tsv 2023 2024 -o meta.html && "$bin/gw-report" --meta meta.tsv 2023 2024 --format json --compact > meta.json &&
  "$bin/gw-dups" --meta meta.tsv 2023 2024 --format jsonl > dups.jsonl && "$bin/gw-report" 2023 2024 --format json --compact -o plain.json) ||
  fail "demo batch: gw-report --meta exited $?"
docs_of() { # path, unit, year and self_copy of each document, one a line, sorted
  grep -o '"path":"[^"]*","unit":"[^"]*","year":[0-9a-z]*,"title":"[^"]*","is_base":[a-z]*,"is_archived":[a-z]*,"characters":[^}]*"self_copy":[^,]*' "$1" |
    sed -E 's/^"path":"([^"]*)","unit":"([^"]*)","year":([^,]*),.*"self_copy":(.*)$/\1\t\2\t\3\t\4/' | sort
}
dups_of() { # the same from gw-dups --meta: unit, year and self_ratio
  grep '^{"record":"document"' "$1" | sed -E 's/^.*"path":"([^"]*)".*"year":([0-9]+),"unit":"([^"]*)".*"self_ratio":([^,]*),.*$/\1\t\3\t\2\t\4/' | sort
}
docs_of "$work/demo/meta.json" > "$work/demo/report.tsv"
dups_of "$work/demo/dups.jsonl" > "$work/demo/dups.tsv"
tail -n +2 "$work/demo/meta.tsv" | cut -f1-3 | sort > "$work/demo/units.tsv"
[ "$(wc -l < "$work/demo/report.tsv")" -eq 11 ] || fail "demo batch: $(wc -l < "$work/demo/report.tsv") documents, not 11"
cut -f1-3 "$work/demo/report.tsv" | cmp -s - "$work/demo/units.tsv" || fail "demo batch: units and years are not meta.tsv's"
cmp -s "$work/demo/report.tsv" "$work/demo/dups.tsv" || { fail "demo batch: self-copy is not gw-dups --meta's self_ratio"; diff "$work/demo/dups.tsv" "$work/demo/report.tsv"; }
grep -q '^2024/县市场监管局/report.txt	县市场监管局	2024	0.99[0-9]*$' "$work/demo/report.tsv" || fail "demo batch: 县市场监管局's 2024 self-copy is not 99 %"
[ "$(cut -f4 "$work/demo/report.tsv" | grep -c '^0$')" -eq 10 ] || fail "demo batch: not 10 reports with no self-copy"
grep -q '^县市场监管局,2024,2024/县市场监管局/report.txt,.*,99\.[0-9]%,[^,]*,[^,]*,[^,]*,[^,]*$' "$work/demo/meta.csv" ||
  fail "demo batch: the CSV's 本单位往年复制比 is not 99 % for 县市场监管局 2024"

grep -q '"path":"2024/县市场监管局/report.txt",[^}]*"self_copy":0.99[0-9]*,"self_source":0,' "$work/demo/meta.json" &&
  grep -q '^{"format":1,.*"documents":\[{"path":"2023/县市场监管局/report.txt"' "$work/demo/meta.json" ||
  fail "demo batch: 县市场监管局's 2024 self-copy does not name its 2023 report (document 0)"
[ "$(grep -o '"self_source":[0-9]' "$work/demo/meta.json" | wc -l)" -eq 1 ] || fail "demo batch: not one self_source"
[ "$(docs_of "$work/demo/plain.json" | cut -f4 | sort -u)" = null ] || fail "demo batch without --meta: a self-copy figure"
grep -q '"self_source":[0-9]' "$work/demo/plain.json" && fail "demo batch without --meta: a self_source"
(cd "$work/demo" && "$bin/gw-report" 2023 2024 -o plain.html) && [ "$(grep -c '^[^,]*,2024,2024/县市场监管局/report.txt,.*,99\.[0-9]%,[^,]*,[^,]*,,[^,]*,[^,]*,[^,]*,[^,]*$' "$work/demo/plain.csv")" -eq 1 ] ||
  fail "demo batch without --meta: the CSV's 本单位往年复制比 is not empty"

[ $fails -eq 0 ] && echo "golden_report: all passed"
exit $((fails > 0))
