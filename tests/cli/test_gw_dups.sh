#!/usr/bin/env bash
# CLI tests of gw-dups (exit codes, JSON and JSON Lines, paths as given,
# offsets, thresholds as flags, bad inputs, determinism) and of gw-stats,
# the corpus overview built on it.
# usage: test_gw_dups.sh BIN_DIR CORPUS_DIR
set -u
bin=$1/gw-dups
stats=$1/gw-stats
corpus=$2
. "$(dirname "$0")/harness.sh"


s003="$corpus/003_1973e543c9b997a8.txt"
s004="$corpus/004_c0ae98798d36dd3b.txt"

# --help, --version, usage errors
check "--help exits 0" test "$(status_of "$bin" --help)" = 0
check "--help prints usage" grep -q '^usage: gw-dups' "$tmp/out"
check "--version" test "$(status_of "$bin" --version)" = 0
check "--version names the program" grep -q '^gw-dups (gongwen) [0-9]' "$tmp/out"
check "unknown option exits 2" test "$(status_of "$bin" --no-such-option "$corpus")" = 2
check "unknown option is reported" grep -q 'gw-dups: error' "$tmp/err"
check "bad --format exits 2" test "$(status_of "$bin" --format xml "$corpus")" = 2
check "--passage-t above 13 exits 2" test "$(status_of "$bin" --passage-t 14 "$corpus")" = 2
check "--passage-t above 13 is explained" grep -q 'passage_t' "$tmp/err"
check "--bands not dividing --minhash exits 2" test "$(status_of "$bin" --bands 7 "$corpus")" = 2
check "a bad number exits 2" test "$(status_of "$bin" --min-jaccard abc "$corpus")" = 2

# JSON: key order, documents named by the path given, the 003/004 passage
check "corpus" test "$(status_of "$bin" "$corpus")" = 0
cp "$tmp/out" "$tmp/run1.json"
check "documents named by the path given" grep -q "\"path\":[[:space:]]*\"$s003\"" "$tmp/run1.json"
"$bin" --compact "$corpus" > "$tmp/compact.json"
check "--compact is one line" test "$(wc -l < "$tmp/compact.json")" = 1
check "top-level keys in order" grep -q '^{"parameters":{.*},"documents":\[.*\],"pairs":\[.*\],"clusters":\[.*\],"errors":\[.*\]}$' "$tmp/compact.json"
check "the 003/004 passage with its offsets" grep -q \
  '"kind":"copy","a":{"start":5657,"end":5702},"b":{"start":5286,"end":5331},"characters":14,"matched":14,"text":"特别注意掌握网络舆情牢牢掌握"' \
  "$tmp/compact.json"
check "003/004 is the most copied pair" grep -q \
  "\"pairs\":\[{\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\"" "$tmp/compact.json"
check "the term shared by every seed is not copying" bash -c \
  "! grep -o '\"kind\":\"copy\"[^}]*}[^}]*},\"characters\":[0-9]*,\"matched\":[0-9]*,\"text\":\"[^\"]*习近平新时代中国特色社会主义思想' '$tmp/compact.json'"
check "official formulations reported apart" grep -q '"kind":"official","a":{"start":7522,"end":7573},"b":{"start":8520,"end":8571},"characters":17,"matched":17,"text":"习近平新时代中国特色社会主义思想的"' "$tmp/compact.json"
check "a term inside the copied sentence is not copied: 14 - 4 (网络舆情)" grep -q \
  "\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\":[0-9.]*,\"copied_a\":27,\"copied_b\":27," "$tmp/compact.json"
check "official terms recorded" grep -q '"official_terms":true' "$tmp/compact.json"
check "--no-terms" test "$(status_of "$bin" --compact --no-terms "$corpus")" = 0
check "--no-terms: generic passages reported apart" grep -q '"kind":"generic","a":{"start":7522,"end":7573}' "$tmp/out"
check "--no-terms: the term is in no official span" grep -q '"official_terms":false' "$tmp/out"
check "document record keys in order" grep -q \
  '{"path":"[^"]*","characters":[0-9]*,"official":[0-9]*,"copied":[0-9]*,"copy_ratio":[0-9.]*,"largest_source":{"path":"[^"]*","characters":[0-9]*,"share":[0-9.]*},"sources":\[' \
  "$tmp/compact.json"
check "parameters recorded" grep -q '"parameters":{"shingle_k":3,"minhash":120,"bands":40,"seed":"9e3779b97f4a7c15","min_jaccard":0.5' "$tmp/compact.json"
"$bin" "$corpus" > "$tmp/run2.json"
check "byte-identical across runs" cmp -s "$tmp/run1.json" "$tmp/run2.json"

# the advertising of seed 001 is never counted: a file of just its ads
noisy="$corpus/001_84632f9a43899128.txt"
grep '哒哒' "$noisy" > "$tmp/ads.txt"
check "ads file beside seed 001" test "$(status_of "$bin" --compact "$noisy" "$tmp/ads.txt")" = 0
check "no pair between seed 001 and its ads" grep -q '"pairs":\[\]' "$tmp/out"

# a document against itself; an edited copy
cp "$s003" "$tmp/copy.txt"
check "itself" test "$(status_of "$bin" --compact "$s003" "$tmp/copy.txt")" = 0
check "itself: copy ratio 1, official terms apart" grep -q "{\"path\":\"$tmp/copy.txt\",\"characters\":2907,\"official\":650,\"copied\":2257,\"copy_ratio\":1," "$tmp/out"
check "itself: similarity 1, one passage" grep -q '"similarity":1,"copied_a":2257,"copied_b":2257,"passages":\[{"kind":"copy","a":{"start":0,"end":9627},"b":{"start":0,"end":9627},"characters":2907,"matched":2907,' "$tmp/out"
sed 's/特别注意掌握网络舆情/持别注意掌握网络舆情/' "$s003" > "$tmp/edited.txt"
check "edited copy" test "$(status_of "$bin" --compact "$s003" "$tmp/edited.txt")" = 0
check "edited copy: one passage, one character unmatched" grep -q '"characters":2907,"matched":2906,' "$tmp/out"

# thresholds as flags: a larger gap or another t changes nothing here, but
# they are recorded; the generic rule can be switched off
check "--generic-min-docs" test "$(status_of "$bin" --compact --no-terms --generic-min-docs 100 "$corpus")" = 0
check "without the generic rule the term counts" grep -q '"kind":"copy","a":{[^}]*},"b":{[^}]*},"characters":16,"matched":16,"text":"习近平新时代中国特色社会主义思想"' "$tmp/out"
check "flags are recorded" grep -q '"generic_min_docs":100' "$tmp/out"
check "--passage-t 10 --passage-k 5" test "$(status_of "$bin" --compact --passage-t 10 --passage-k 5 "$corpus")" = 0
check "t and window recorded" grep -q '"passage_t":10,"passage_k":5,"window":6' "$tmp/out"

# JSON Lines: one record per line, each naming its documents
check "jsonl" test "$(status_of "$bin" --format jsonl "$corpus")" = 0
check "jsonl: parameters first" bash -c "head -n 1 '$tmp/out' | grep -q '^{\"record\":\"parameters\",\"shingle_k\":3'"
check "jsonl: five documents" test "$(grep -c '^{"record":"document","path":' "$tmp/out")" = 5
check "jsonl: pairs name both documents" grep -q "^{\"record\":\"pair\",\"a\":\"$s003\",\"b\":\"$s004\"," "$tmp/out"
check "jsonl: every line is an object" bash -c "! grep -qv '^{\"record\":\"[a-z]*\",.*}$' '$tmp/out'"
# Many records (the lines are formatted on two threads, in chunks): the same
# documents in the same order as the JSON, every line whole, and the same
# bytes run after run.
mkdir "$tmp/many"
/usr/bin/python3 - "$tmp/many" <<'PY'
import random, sys
rng = random.Random(7)
for i in range(1, 4601):
    text = ''.join(chr(0x4E00 + rng.randrange(6000)) for _ in range(40))
    with open(f"{sys.argv[1]}/d{i}.txt", "w", encoding="utf-8") as f:
        f.write(text[:12] + "\n" + text[12:] + "。\n")
PY
cp "$s003" "$s004" "$tmp/many/"
check "jsonl: many documents" test "$(status_of "$bin" --format jsonl --no-text "$tmp/many")" = 0
cp "$tmp/out" "$tmp/many1.jsonl"
check "jsonl: one document line each" test "$(grep -c '^{"record":"document",' "$tmp/many1.jsonl")" = 4602
check "jsonl: every line whole" bash -c "! grep -qv '^{\"record\":\"[a-z]*\",.*}$' '$tmp/many1.jsonl'"
"$bin" --compact --no-text "$tmp/many" > "$tmp/many.json"
grep -o '"path":"[^"]*","characters":[0-9]*,"official"' "$tmp/many.json" > "$tmp/many.json.docs"
grep -o '"path":"[^"]*","characters":[0-9]*,"official"' "$tmp/many1.jsonl" > "$tmp/many.jsonl.docs"
check "jsonl: documents in the JSON's order" cmp -s "$tmp/many.json.docs" "$tmp/many.jsonl.docs"
check "jsonl: documents in input order (a folder's files sorted)" bash -c \
  "sed 's/^\"path\":\"\\([^\"]*\\)\".*/\\1/' '$tmp/many.jsonl.docs' | LC_ALL=C sort -c"
check "jsonl: every document once" test \
  "$(sed 's/^"path":"\([^"]*\)".*/\1/' "$tmp/many.jsonl.docs" | LC_ALL=C sort -u | wc -l)" = 4602
check "jsonl: the 003/004 pair among many" grep -q '^{"record":"pair",.*003_1973e543c9b997a8.txt' "$tmp/many1.jsonl"
"$bin" --format jsonl --no-text "$tmp/many" > "$tmp/many2.jsonl"
check "jsonl: the same bytes again" cmp -s "$tmp/many1.jsonl" "$tmp/many2.jsonl"
# The one JSON value is printed record by record too: it must parse, pretty
# or compact, and hold what the JSON Lines hold (Debian's python3 comes with
# python3-jieba).
"$bin" "$tmp/many" > "$tmp/many.pretty.json"
parse='import json, sys; v = json.load(open(sys.argv[1])); print(len(v["documents"]), len(v["pairs"]), len(v["clusters"]), len(v["errors"]))'
check "JSON: pretty output parses" /usr/bin/python3 -c "$parse" "$tmp/many.pretty.json"
check "JSON: compact output parses" /usr/bin/python3 -c "$parse" "$tmp/many.json"
check "JSON: pretty and compact hold the same" test \
  "$(/usr/bin/python3 -c "$parse" "$tmp/many.pretty.json")" = "$(/usr/bin/python3 -c "$parse" "$tmp/many.json")"
check "JSON: as many records as the JSON Lines" test \
  "$(/usr/bin/python3 -c "$parse" "$tmp/many.json")" = \
  "$(grep -c '"record":"document"' "$tmp/many1.jsonl") $(grep -c '"record":"pair"' "$tmp/many1.jsonl") $(grep -c '"record":"cluster"' "$tmp/many1.jsonl") 0"

# clusters: a near-duplicate paragraph in three files
printf '标题一\n各级党组织要切实履行主体责任，定期研究分析意识形态领域情况，及时解决突出问题。\n' > "$tmp/c1.txt"
printf '各级党组织要切实履行主体责任，定期研判分析意识形态领域情况，及时解决突出问题。\n' > "$tmp/c2.txt"
printf '其他内容\n**局各级党组织要切实履行主体责任，定期研究分析意识形态领域情况，及时解决突出问题！\n' > "$tmp/c3.txt"
check "clusters" test "$(status_of "$bin" --compact "$tmp/c1.txt" "$tmp/c2.txt" "$tmp/c3.txt")" = 0
check "one cluster over three documents" grep -q '"clusters":\[{"documents":3,"size":3,"min_jaccard":0\.[0-9]*,"max_jaccard":[0-9.]*,"members":\[{"path":"[^"]*c1.txt","paragraph":1,"start":10,"end":' "$tmp/out"
check "--min-jaccard 0.99: no cluster" bash -c \
  "'$bin' --compact --min-jaccard 0.99 --min-containment 2 '$tmp/c1.txt' '$tmp/c2.txt' '$tmp/c3.txt' | grep -q '\"clusters\":\[\]'"
check "--min-containment 0.95: the contained paragraph" bash -c \
  "'$bin' --compact --min-jaccard 0.99 --min-containment 0.95 '$tmp/c1.txt' '$tmp/c2.txt' '$tmp/c3.txt' | grep -q '\"clusters\":\[{\"documents\":2,\"size\":2,\"min_jaccard\":0.[0-9]*,\"max_jaccard\":[0-9.]*,\"members\":\[{\"path\":\"[^\"]*c1.txt\",\"paragraph\":1,\"start\":10,\"end\":[0-9]*,\"jaccard\":0.[0-9]*,\"containment\":1}'"

# --list, stdin, bad inputs
ls "$corpus"/*.txt > "$tmp/list.txt"
check "--list" test "$(status_of "$bin" --list "$tmp/list.txt")" = 0
check "--list gives the folder's result" cmp -s "$tmp/out" "$tmp/run1.json"
check "missing file exits 1" test "$(status_of "$bin" --compact "$tmp/missing.txt" "$s003" "$s004")" = 1
check "missing file listed in errors" grep -q '"errors":\[{"path":"[^"]*missing.txt"' "$tmp/out"
check "missing file named on stderr" grep -q 'missing.txt' "$tmp/err"
check "the others still analysed" grep -q '"characters":14,"matched":14' "$tmp/out"
{ printf '\177ELF\2\1\1'; head -c 2048 /dev/zero; } > "$tmp/binary.bin"
check "only a binary file exits 2" test "$(status_of "$bin" "$tmp/binary.bin")" = 2
check "stdin" bash -c "'$bin' --compact < '$s003' | grep -q '\"path\":\"-\"'"
printf '' > "$tmp/empty.txt"
check "empty file" test "$(status_of "$bin" --compact "$tmp/empty.txt")" = 0
check "empty file: zero characters, ratio 0" grep -q '"characters":0,"official":0,"copied":0,"copy_ratio":0,"largest_source":null' "$tmp/out"
check "no progress line when stderr is not a terminal" test ! -s "$tmp/err"

# gw-stats: the corpus overview
check "gw-stats --help" test "$(status_of "$stats" --help)" = 0
check "gw-stats --help prints usage" grep -q '^usage: gw-stats' "$tmp/out"
check "gw-stats bad --top exits 2" test "$(status_of "$stats" --top x "$corpus")" = 2
check "gw-stats corpus" test "$(status_of "$stats" --compact "$corpus")" = 0
cp "$tmp/out" "$tmp/stats1"
check "gw-stats keys in order" grep -q '^{"documents":5,"characters":[0-9]*,"paragraphs":[0-9]*,"headings":[0-9]*,"sections":{"work_done":[0-9]*,"problems":[0-9]*,"next_steps":[0-9]*,"other":[0-9]*},"tokens":[0-9]*,"top_words":\[{"word":"[^"]*","count":[0-9]*,"documents":[0-9]*}.*\],"top_terms":\[{"term":"意识形态工作","count":[0-9]*,"documents":5}.*\],"removed":{"spans":6,"bytes":[0-9]*,"noise":6,"page_number":0,"pinyin":0},"masks":{"count":[0-9]*,"forms":\[.*\]},"copy_ratio":{"mean":[0-9.]*,"median":[0-9.]*,"max":[0-9.]*,"buckets":\[{"from":0,"to":0.1,"documents":5}.*\]},"most_copied_pairs":\[.*\],"files":\[.*\],"errors":\[\]}$' "$tmp/stats1"
check "gw-stats: the most copied pair is 003/004" grep -q "\"most_copied_pairs\":\[{\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\":[0-9.]*,\"copied_a\":27,\"copied_b\":27,\"passages\":2}" "$tmp/stats1"
check "gw-stats: the copy ratio of 003 agrees with gw-dups" bash -c "grep -q '\"path\":\"$s003\",\"encoding\":\"utf-8\",\"characters\":[0-9]*,\"paragraphs\":[0-9]*,\"masks\":1,\"removed\":0,\"copy_ratio\":0.0239}' '$tmp/stats1' && grep -q '\"path\":\"$s003\",\"characters\":2907,\"official\":650,\"copied\":54,\"copy_ratio\":0.0239,' '$tmp/compact.json'"
"$stats" --compact "$corpus" > "$tmp/stats2"
check "gw-stats byte-identical across runs" cmp -s "$tmp/stats1" "$tmp/stats2"
check "gw-stats with a missing file exits 1" test "$(status_of "$stats" --compact "$corpus" "$tmp/missing.txt")" = 1
check "gw-stats lists it" grep -q '"errors":\[{"path":"[^"]*missing.txt"' "$tmp/out"

finish
