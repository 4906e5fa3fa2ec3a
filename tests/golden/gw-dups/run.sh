#!/bin/bash
# ctest golden_dups: gw-dups on the demonstration batch
# (examples/make-demo-batch.sh: corpus/ cut and renamed by a fixed recipe)
# against the expected files here, in each output mode.  The batch is made
# in the work folder and everything runs there with relative names, so
# that no temporary path reaches the output.  Six units hand in the same
# 范文 (a family of six), 县统计局 pastes from 县审计局's report, and
# 县市场监管局 hands in its 2023 report again.
#   batch.expected.json   --meta meta.tsv --no-text, last year's and this
#                         year's reports (one JSON object)
#   base.expected.jsonl   --format jsonl, last year's report as the base
#                         document, --template-min 3 --max-sources 3, one
#                         report named twice (passage text included)
#   batch.expected.txt    --format text --meta meta.tsv (COLUMNS=100)
# JSON is compared as values (json_compare: every key in its order, every
# value), the text byte for byte; the bytes are the same on 1 and 3
# threads.  (corpus.json, the whole of corpus/, is golden_gw_dups_corpus_json.)
#   run.sh BIN_DIR JSON_COMPARE SOURCE_DIR WORK_DIR
# GW_GOLDEN_UPDATE=1 rewrites the expected files (see ../demo_batch.sh).
set -u
bin=$1 compare=$2 src=$3 work=$4
here=$src/tests/golden/gw-dups
dups=$bin/gw-dups
. "$src/tests/golden/demo_batch.sh"

golden batch json "$compare" "$dups" --meta meta.tsv --no-text 2023 2024
[ -s "$work/batch.err" ] && fail "batch: stderr: $(head -c 300 "$work/batch.err")"

base_args=(--format jsonl --base 2023 --template-min 3 --max-sources 3 --meta meta.tsv
  2024/县市场监管局 2024/县统计局 2024/县审计局 2024/县财政局 2024/县教育局 2024/县水利局
  ./2024/县审计局/report.txt)
golden base jsonl "$compare" "$dups" "${base_args[@]}"
warning='gw-dups: warning: ./2024/县审计局/report.txt is 2024/县审计局/report.txt again: analysed once'
[ "$(cat "$work/base.err")" = "$warning" ] ||
  fail "base: stderr is not the one warning: $(head -c 300 "$work/base.err")"

golden batch txt "diff -u" env COLUMNS=100 "$dups" --format text --meta meta.tsv 2023 2024

for threads in 1 3; do
  "$dups" --threads $threads --meta meta.tsv --no-text 2023 2024 > "$work/batch.$threads.json" \
    2> /dev/null
  cmp -s "$work/batch.json" "$work/batch.$threads.json" ||
    fail "batch: $threads thread(s) give other bytes"
  "$dups" --threads $threads "${base_args[@]}" > "$work/base.$threads.jsonl" 2> /dev/null
  cmp -s "$work/base.jsonl" "$work/base.$threads.jsonl" ||
    fail "base: $threads thread(s) give other bytes"
done

finish golden_dups
