#!/usr/bin/env bash
# examples/make-demo-batch.sh and what the README shows of it: the same
# bytes on every run, the six units that handed in one 范文 found as copies
# of it (a template, not hidden), the pasted paragraphs traced to their
# source, the independent report left alone, and the unit that handed in
# last year's report again found by the archive as its own earlier report.
# usage: test_demo_batch.sh BIN_DIR SOURCE_DIR
set -u
bin=$(cd "$1" && pwd)
make_demo=$(cd "$2" && pwd)/examples/make-demo-batch.sh
. "$(dirname "$0")/harness.sh"

# The document record of a unit's report in JSON Lines output ($tmp/out).
record_of() { grep "^{\"record\":\"document\",\"path\":\"2024/$1/report.txt\"" "$tmp/out"; }
# A number field of a unit's record.
field_of() { record_of "$1" | sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" | head -n 1; }
at_least() { awk -v v="$1" -v min="$2" 'BEGIN { exit !(v != "" && v + 0 >= min + 0) }'; }
between() { awk -v v="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(v != "" && v + 0 >= lo && v + 0 <= hi) }'; }

check "made" sh "$make_demo" "$tmp/demo" > /dev/null
check "made again, the same bytes" sh -c "sh '$make_demo' '$tmp/again' > /dev/null && diff -r '$tmp/demo' '$tmp/again'"
check "refuses a folder that exists" test "$(status_of sh "$make_demo" "$tmp/demo")" = 2
check "ten reports this year" test "$(find "$tmp/demo/2024" -name report.txt | wc -l)" = 10
check "one last year" test "$(find "$tmp/demo/2023" -name report.txt | wc -l)" = 1
check "meta: a header and a row per report" test "$(wc -l < "$tmp/demo/meta.tsv")" = 12
check "says it is a demonstration" grep -q "NOT real submissions" "$tmp/demo/README.txt"

cd "$tmp/demo" || exit 1
check "gw-dups runs" test "$(status_of "$bin/gw-dups" --format jsonl 2024/)" = 0
for unit in 县财政局 县教育局 县农业农村局 县水利局 县住建局 县商务局; do
  check "$unit: a copy" at_least "$(field_of "$unit" copy_ratio)" 0.9
  check "$unit: of a template many used" at_least "$(field_of "$unit" template_ratio)" 0.9
done
check "the pasted paragraphs: a part, not the whole" between "$(field_of 县统计局 copy_ratio)" 0.1 0.5
check "the pasted paragraphs: from their source" \
  sh -c "grep '\"path\":\"2024/县统计局/report.txt\"' '$tmp/out' | grep -q '\"largest_source\":{\"path\":\"2024/县审计局/report.txt\"'"
check "an independent report: nothing copied" test "$(field_of 县档案局 copy_ratio)" = 0

check "gw-stats: the overview" test "$(status_of "$bin/gw-stats" 2024/)" = 0
check "gw-stats: ten reports" grep -q '^10 reports' "$tmp/out"
check "gw-stats: the copies counted" grep -q '7 of 10 reports at 30% or more' "$tmp/out"
check "gw-stats: the 范文's 存在的问题 paragraph, in its six copies only" \
  grep -q '^  6 reports, 351 characters, earliest 2022$' "$tmp/out"
# A family's text is its longest copy of the earliest year, the most whole:
# 县商务局's 667 characters of 一是把握导向 are the 范文's section whole.
check "gw-stats: the largest family is the 范文's, in its six copies" \
  grep -q '^  6 reports, 676 characters, earliest 2022$' "$tmp/out"
check "gw-stats: a family's text is its most whole copy, the 范文's section" \
  grep -q '^  6 reports, 667 characters, earliest 2022$' "$tmp/out"
check "gw-dups: no family holds the 县市场监管局 pair's own text" \
  sh -c "'$bin/gw-dups' --format jsonl 2024/ | grep '^{\"record\":\"family\"' | grep 县市场监管局; test \$? = 1"
check "gw-dups: a report holding a family's text in two places is named once" \
  sh -c "'$bin/gw-dups' --format text 2024/ | grep -q '2024/县农业农村局/report.txt lines 3 and 5, '"

check "archive: init" test "$(status_of "$bin/gw-archive" init "$tmp/archive")" = 0
check "archive: last year added" \
  test "$(status_of "$bin/gw-archive" add "$tmp/archive" --meta meta.tsv 2023/)" = 0
check "archive: this year checked" \
  test "$(status_of "$bin/gw-archive" check "$tmp/archive" --meta meta.tsv --format jsonl 2024/)" = 0
check "archive: last year's report handed in again" \
  sh -c "record_of() { grep '\"path\":\"2024/县市场监管局/report.txt\"' '$tmp/out'; }; record_of | grep -q '\"self_sources\":\[{\"path\":\"2023/县市场监管局/report.txt\",\"unit\":\"县市场监管局\",\"year\":2023,\"from\":\"archive\",\"relation\":\"self_earlier\"'"
check "archive: no other unit copied itself" test "$(grep '^{"record":"document"' "$tmp/out" | grep -c '"relation":"self_earlier"')" = 1
check "archive: units from the meta file" test -n "$(record_of 县财政局 | grep '"unit":"县财政局","year":2024')"
cd / || exit 1

finish
