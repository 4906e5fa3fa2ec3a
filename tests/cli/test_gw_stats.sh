#!/usr/bin/env bash
# CLI tests of gw-stats, the corpus overview built on the other analyses.
# usage: test_gw_stats.sh BIN_DIR CORPUS_DIR
set -u
stats=$1/gw-stats
dups=$1/gw-dups
corpus=$2
. "$(dirname "$0")/harness.sh"

s003="$corpus/003_1973e543c9b997a8.txt"
s004="$corpus/004_c0ae98798d36dd3b.txt"
"$dups" --compact "$corpus" > "$tmp/compact.json"

# gw-stats: the corpus overview
check "gw-stats --help" test "$(status_of "$stats" --help)" = 0
check "gw-stats --help prints usage" grep -q '^usage: gw-stats' "$tmp/out"
check "gw-stats bad --top exits 2" test "$(status_of "$stats" --top x "$corpus")" = 2
check "gw-stats corpus" test "$(status_of "$stats" --compact "$corpus")" = 0
cp "$tmp/out" "$tmp/stats1"
check "gw-stats keys in order" grep -q '^{"documents":5,"characters":[0-9]*,"paragraphs":[0-9]*,"headings":[0-9]*,"sections":{"work_done":[0-9]*,"problems":[0-9]*,"next_steps":[0-9]*,"other":[0-9]*},"tokens":[0-9]*,"top_words":\[{"word":"[^"]*","count":[0-9]*,"documents":[0-9]*}.*\],"top_terms":\[{"term":"意识形态工作","count":[0-9]*,"documents":5}.*\],"removed":{"spans":6,"bytes":[0-9]*,"noise":6,"page_number":0,"pinyin":0},"masks":{"count":[0-9]*,"forms":\[.*\]},"copy_ratio":{"mean":[0-9.]*,"median":[0-9.]*,"max":[0-9.]*,"buckets":\[{"from":0,"to":0.1,"documents":5}.*\]},"most_copied_pairs":\[.*\],"files":\[.*\],"errors":\[\]}$' "$tmp/stats1"
check "gw-stats: the most copied pair is 003/004" grep -q "\"most_copied_pairs\":\[{\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\":[0-9.]*,\"copied_a\":27,\"copied_b\":27,\"passages\":2}" "$tmp/stats1"
check "gw-stats: the copy ratio of 003 agrees with gw-dups" bash -c "grep -q '\"path\":\"$s003\",\"encoding\":\"utf-8\",\"characters\":[0-9]*,\"paragraphs\":[0-9]*,\"masks\":1,\"removed\":0,\"copy_ratio\":0.0239}' '$tmp/stats1' && grep -q '\"path\":\"$s003\",\"characters\":2907,\"official\":643,\"copied\":54,\"copy_ratio\":0.0239,' '$tmp/compact.json'"
"$stats" --compact "$corpus" > "$tmp/stats2"
check "gw-stats byte-identical across runs" cmp -s "$tmp/stats1" "$tmp/stats2"
check "gw-stats with a missing file exits 1" test "$(status_of "$stats" --compact "$corpus" "$tmp/missing.txt")" = 1
check "gw-stats lists it" grep -q '"errors":\[{"path":"[^"]*missing.txt"' "$tmp/out"

finish
