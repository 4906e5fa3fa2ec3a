#!/usr/bin/env bash
# CLI tests of gw-stats, the corpus overview built on the other analyses.
# usage: test_gw_stats.sh BIN_DIR CORPUS_DIR
set -u
stats=$1/gw-stats
dups=$1/gw-dups
corpus=$2
. "$(dirname "$0")/harness.sh"

s001="$corpus/001_84632f9a43899128.txt"
s003="$corpus/003_1973e543c9b997a8.txt"
s004="$corpus/004_c0ae98798d36dd3b.txt"
"$dups" --compact "$corpus" > "$tmp/compact.json"

# gw-stats: the corpus overview
check "gw-stats --help" test "$(status_of "$stats" --help)" = 0
check "gw-stats --help prints usage" grep -q '^usage: gw-stats' "$tmp/out"
check "gw-stats bad --top exits 2" test "$(status_of "$stats" --top x "$corpus")" = 2
check "gw-stats corpus" test "$(status_of "$stats" --compact "$corpus")" = 0
cp "$tmp/out" "$tmp/stats1"
check "gw-stats keys in order" grep -q '^{"documents":5,"characters":[0-9]*,"paragraphs":[0-9]*,"headings":[0-9]*,"sections":{"work_done":[0-9]*,"problems":[0-9]*,"next_steps":[0-9]*,"other":[0-9]*},"tokens":[0-9]*,"top_words":\[{"word":"[^"]*","count":[0-9]*,"documents":[0-9]*}.*\],"top_terms":\[{"term":"意识形态工作","count":[0-9]*,"documents":5}.*\],"removed":{"spans":6,"bytes":[0-9]*,"noise":6,"page_number":0,"pinyin":0},"masks":{"count":[0-9]*,"forms":\[.*\]},"copy_ratio":{"mean":[0-9.]*,"median":[0-9.]*,"max":[0-9.]*,"buckets":\[{"from":0,"to":0.1,"documents":5}.*\]},"most_copied_pairs":\[.*\],"copy_limits":{"band_all_pairs":48,"star_above":8,"repeat_pairs":16,"applied":{"band_all_pairs":[0-9]*,"star_above":[0-9]*,"repeat_pairs":[0-9]*}},"files":\[.*\],"errors":\[\]}$' "$tmp/stats1"
check "gw-stats: the most copied pair is 003/004" grep -q "\"most_copied_pairs\":\[{\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\":[0-9.]*,\"copied_a\":34,\"copied_b\":34,\"passages\":3}" "$tmp/stats1"
check "gw-stats: the copy ratio of 003 agrees with gw-dups" bash -c "grep -q '\"path\":\"$s003\",\"encoding\":\"utf-8\",\"characters\":[0-9]*,\"paragraphs\":[0-9]*,\"masks\":1,\"removed\":0,\"unit\":null,\"year\":[0-9]*,\"copy_ratio\":0.0337,\"self_ratio\":null}' '$tmp/stats1' && grep -q '\"path\":\"$s003\",\"characters\":2907,\"official\":650,\"copied\":76,\"copy_ratio\":0.0337,' '$tmp/compact.json'"
"$stats" --compact "$corpus" > "$tmp/stats2"
check "gw-stats byte-identical across runs" cmp -s "$tmp/stats1" "$tmp/stats2"
check "gw-stats with a missing file exits 1" test "$(status_of "$stats" --compact "$corpus" "$tmp/missing.txt")" = 1
check "gw-stats lists it" grep -q '"errors":\[{"path":"[^"]*missing.txt"' "$tmp/out"

# The summary for a terminal: the default, and --format text
check "text is the default" test "$(status_of "$stats" "$corpus")" = 0
cp "$tmp/out" "$tmp/text1"
check "text: the corpus in one line" grep -q '^5 reports, 12,703 characters, 84 paragraphs (40 headings)$' "$tmp/text1"
check "text: the copy ratio" grep -q '^Copy ratio: mean 2.3%, max 3.7%; 0 of 5 reports at 30% or more$' "$tmp/text1"
check "text: the most copied report with its main source" grep -q "^  3.7%  $s001  main source $s003 (2.0%)\$" "$tmp/text1"
check "text: the most copied pair first" bash -c "grep -A1 '^Most copied pairs:' '$tmp/text1' | grep -q '^  $s003 ~ $s004: similarity 1.6%, 34 and 34 characters in 3 passages\$'"
check "text: a sample passage as it stands in the file" grep -q '^      “式，不断加强党员干部思想建设工作力度”$' "$tmp/text1"
check "text: top terms with their reports" grep -q '^Top terms, count (reports): 意识形态工作 100 (5), ' "$tmp/text1"
check "text: noise removed" grep -q '^Removed before analysis: 6 spans, 944 bytes (noise 6, page_number 0, pinyin 0)$' "$tmp/text1"
check "text: short" test "$(wc -l < "$tmp/text1")" -le 40
"$stats" --format text "$corpus" > "$tmp/text2"
check "--format text is the default" cmp -s "$tmp/text1" "$tmp/text2"
check "--top limits the text lists" bash -c "'$stats' --top 2 '$corpus' | grep -q '^Top words: 工作 201, 意识形态 130, ...\$'"
check "--pairs limits the text pairs" test "$("$stats" --pairs 1 "$corpus" | grep -c ': similarity ')" = 1
check "text: where the sample passage stands" grep -q "^      $s003 line 10 ~ $s004 line 7\$" "$tmp/text1"
check "text: the largest families (none in corpus/)" grep -A1 -q '^Largest families (text shared by several reports):$' "$tmp/text1"
# gw-dups's thresholds, the same options: gw-stats finds what gw-dups finds
"$stats" --format json --compact --passage-t 10 --passage-k 6 --min-jaccard 0.3 "$corpus" > "$tmp/thr.json"
"$(dirname "$stats")/gw-dups" --compact --passage-t 10 --passage-k 6 --min-jaccard 0.3 "$corpus" > "$tmp/thr-dups.json"
check "thresholds: gw-stats's ratios are gw-dups's" /usr/bin/python3 -c '
import json, sys
st = json.load(open(sys.argv[1])); du = json.load(open(sys.argv[2]))
ours = {f["path"]: f["copy_ratio"] for f in st["files"]}
theirs = {d["path"]: d["copy_ratio"] for d in du["documents"]}
default = {f["path"]: f["copy_ratio"] for f in json.load(open(sys.argv[3]))["files"]}
sys.exit(not (ours == theirs and ours != default))' "$tmp/thr.json" "$tmp/thr-dups.json" <("$stats" --format json "$corpus")
check "a bad threshold names its option" test "$(status_of "$stats" --min-jaccard abc "$corpus")" = 2
check "... in its error" grep -q "error: --min-jaccard needs a number from 0 to 1000, not 'abc'" "$tmp/err"
check "inconsistent thresholds are refused" test "$(status_of "$stats" --bands 7 "$corpus")" = 2
"$stats" --format json --compact "$corpus" > "$tmp/json1"
check "--format json --compact is --compact" cmp -s "$tmp/json1" "$tmp/stats1"
check "--format json is pretty" test "$("$stats" --format json "$corpus" | wc -l)" -gt 100
check "--compact with --format text is a usage error" test "$(status_of "$stats" --format text --compact "$corpus")" = 2
check "bad --format exits 2" test "$(status_of "$stats" --format xml "$corpus")" = 2
check "bad --format names the option" grep -q -- "--format" "$tmp/err"
check "text: a missing file is listed" bash -c "'$stats' '$corpus' '$tmp/missing.txt' | grep -q '^Could not be read (1):\$'"

# --meta: each file's unit and year, self-copy as gw-dups counts it
mkdir "$tmp/meta"
printf '报告\n甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒日月盈昃辰宿列张。\n' > "$tmp/meta/a.txt"
cp "$tmp/meta/a.txt" "$tmp/meta/b.txt"
printf 'path\tunit\tyear\ttitle\n%s\t甲局\t2021\t\n%s\t甲局\t2022\t\n' "$tmp/meta/a.txt" "$tmp/meta/b.txt" > "$tmp/meta.tsv"
check "--meta" test "$(status_of "$stats" --compact --meta "$tmp/meta.tsv" "$tmp/meta")" = 0
check "--meta: the earlier report, no self-copy" grep -q "\"path\":\"$tmp/meta/a.txt\",[^}]*,\"unit\":\"甲局\",\"year\":2021,\"copy_ratio\":1,\"self_ratio\":0}" "$tmp/out"
check "--meta: the later one copied itself" grep -q "\"path\":\"$tmp/meta/b.txt\",[^}]*,\"unit\":\"甲局\",\"year\":2022,\"copy_ratio\":1,\"self_ratio\":1}" "$tmp/out"
printf 'path\tunit\tyear\n%s\t甲局\t-3\n' "$tmp/meta/a.txt" > "$tmp/bad-meta.tsv"
check "a bad --meta file exits 2" test "$(status_of "$stats" --meta "$tmp/bad-meta.tsv" "$tmp/meta")" = 2
check "... naming its file and line" grep -q "^gw-stats: error: $tmp/bad-meta.tsv:2: " "$tmp/err"
check "... and nothing on stdout" test ! -s "$tmp/out"

# A limit that applied is said, as gw-dups says it: two copies of a
# repetitive text pair their repeated fingerprints rank by rank
mkdir "$tmp/rep"
for name in a b; do
  for i in $(seq 300); do printf '甲乙丙丁戊己庚辛甲乙丙丁戊己庚辛'; done > "$tmp/rep/$name.txt"
done
check "repetitive text twice" test "$(status_of "$stats" --compact "$tmp/rep")" = 0
check "repetitive text twice: repeat_pairs applied" grep -q '"copy_limits":{"band_all_pairs":48,"star_above":8,"repeat_pairs":16,"applied":{"band_all_pairs":0,"star_above":0,"repeat_pairs":[1-9][0-9]*}}' "$tmp/out"
check "... the count gw-dups gives" test \
  "$(grep -o '"applied":{[^}]*}' "$tmp/out")" = "$("$dups" --compact "$tmp/rep" | grep -o '"applied":{[^}]*}')"
check "... and said in the summary" bash -c "'$stats' '$tmp/rep' | grep -q '^Limits applied (they chose which pairs were compared, not what was found): repeat_pairs [1-9][0-9]*\$'"

finish
