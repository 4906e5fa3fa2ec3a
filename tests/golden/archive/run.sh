#!/bin/bash
# ctest golden_archive: gw-archive's output against the expected files
# here.  The demonstration batch (examples/make-demo-batch.sh: corpus/ cut
# and renamed by a fixed recipe) is made in the work folder and everything
# runs there with relative names, so that no temporary path reaches the
# output; list and check print no times.  The archive holds last year's
# report (2023/); six of this year's are checked against it: 县市场监管局
# hands in its own 2023 report again (self-copy year over year), 县财政局,
# 县教育局 and 县水利局 the same 范文 (families), 县统计局 pastes from
# 县审计局's.
#   list.expected.json        list --documents
#   check.expected.json       check (one JSON object, passage text included)
#   check.expected.jsonl      check --format jsonl --no-text
#   check.expected.txt        check --format text (COLUMNS=100)
# JSON is compared as values (json_compare: every key in its order, every
# value), the text byte for byte; check gives the same bytes on one thread.
#   run.sh BIN_DIR JSON_COMPARE SOURCE_DIR WORK_DIR
# GW_GOLDEN_UPDATE=1 rewrites the expected files (see ../demo_batch.sh).
set -u
bin=$1 compare=$2 src=$3 work=$4
here=$src/tests/golden/archive
archive=$bin/gw-archive
. "$src/tests/golden/demo_batch.sh"
batch="2024/县市场监管局 2024/县财政局 2024/县教育局 2024/县水利局 2024/县统计局 2024/县审计局"

"$archive" init arc || exit 1
"$archive" add arc --meta meta.tsv 2023 2> "$work/add.err" || { cat "$work/add.err"; exit 1; }

golden list json "$compare" "$archive" list arc --documents
# shellcheck disable=SC2086 # the batch's folders, one word each
golden check json "$compare" "$archive" check arc --meta meta.tsv $batch
# shellcheck disable=SC2086
golden check jsonl "$compare" "$archive" check arc --meta meta.tsv --format jsonl --no-text $batch
# shellcheck disable=SC2086
golden check txt "diff -u" env COLUMNS=100 "$archive" check arc --meta meta.tsv --format text $batch

# shellcheck disable=SC2086
"$archive" check arc --meta meta.tsv --threads 1 $batch > "$work/check.1.json"
cmp -s "$work/check.json" "$work/check.1.json" || fail "check: one thread gives other bytes"

finish golden_archive
