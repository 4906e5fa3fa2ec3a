#!/usr/bin/env bash
# CLI tests of gw-dups (exit codes, JSON and JSON Lines, paths as given,
# offsets, thresholds as flags, bad inputs, determinism).
# usage: test_gw_dups.sh BIN_DIR CORPUS_DIR
set -u
bin=$1/gw-dups
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
check "a bad number names its option" grep -q "error: --min-jaccard needs a number from 0 to 1000, not 'abc'" "$tmp/err"
check "--threads 0 exits 2" test "$(status_of "$bin" --threads 0 "$corpus")" = 2
check "--threads 0 names its option" grep -q "error: --threads needs a whole number from 1 to 1024, not '0'" "$tmp/err"
check "the generic rule is gone" test "$(status_of "$bin" --generic-min-docs 3 "$corpus")" = 2

# JSON: key order, documents named by the path given, the 003/004 passage
check "corpus" test "$(status_of "$bin" "$corpus")" = 0
cp "$tmp/out" "$tmp/run1.json"
check "documents named by the path given" grep -q "\"path\":[[:space:]]*\"$s003\"" "$tmp/run1.json"
"$bin" --compact "$corpus" > "$tmp/compact.json"
check "--compact is one line" test "$(wc -l < "$tmp/compact.json")" = 1
check "top-level keys in order" grep -q '^{"parameters":{.*},"documents":\[.*\],"pairs":\[.*\],"families":\[.*\],"clusters":\[.*\],"errors":\[.*\]}$' "$tmp/compact.json"
check "the 003/004 passage with its offsets" grep -q \
  '"kind":"copy","a":{"start":5657,"end":5702,"line":15,"column":201},"b":{"start":5286,"end":5331,"line":9,"column":206},"characters":14,"matched":14,"text":"特别注意掌握网络舆情牢牢掌握"' \
  "$tmp/compact.json"
check "003/004 is the most copied pair" grep -q \
  "\"pairs\":\[{\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\"" "$tmp/compact.json"
check "the term shared by every seed is not copying" bash -c \
  "! grep -o '\"kind\":\"copy\"[^}]*}[^}]*},\"characters\":[0-9]*,\"matched\":[0-9]*,\"text\":\"[^\"]*习近平新时代中国特色社会主义思想' '$tmp/compact.json'"
check "official formulations reported apart" grep -q '"kind":"official","a":{"start":7522,"end":7573,"line":21,"column":60},"b":{"start":8520,"end":8571,"line":14,"column":315},"characters":17,"matched":17,"text":"习近平新时代中国特色社会主义思想的"' "$tmp/compact.json"
# 14 - 4 (网络舆情) + 17 + 13 - 6 (局党组高度重视意识形态工作, in three seeds:
# frequency does not hide copying; 意识形态工作 is a term)
check "a term inside the copied sentence is not copied: 14 - 4 (网络舆情)" grep -q \
  "\"a\":\"$s003\",\"b\":\"$s004\",\"similarity\":[0-9.]*,\"copied_a\":34,\"copied_b\":34," "$tmp/compact.json"
check "a passage in three seeds is copying" grep -q '"kind":"copy","a":{"start":739,"end":778,"line":4,"column":1},"b":{[^}]*},"characters":13,"matched":13,"text":"局党组高度重视意识形态工作"' "$tmp/compact.json"
check "official terms recorded" grep -q '"official_terms":true' "$tmp/compact.json"
check "--no-terms" test "$(status_of "$bin" --compact --no-terms "$corpus")" = 0
check "--no-terms: the term shared by every seed is copying" grep -q '"kind":"copy","a":{"start":7522,"end":7573,"line":21,"column":60},"b":{[^}]*},"characters":17,"matched":17,"text":"习近平新时代中国特色社会主义思想的"' "$tmp/out"
check "--no-terms: it is a template family of the five seeds" grep -q '"families":\[{"documents":5,"size":[0-9]*,"characters":[0-9]*,"earliest":{"path":"[^"]*","year":20[0-9]*},"text":"[^"]*习近平新时代中国特色社会主义思想' "$tmp/out"
check "--no-terms: the term is in no official span" grep -q '"official_terms":false' "$tmp/out"
check "document record keys in order" grep -q \
  '{"path":"[^"]*","characters":[0-9]*,"official":[0-9]*,"copied":[0-9]*,"copy_ratio":[0-9.]*,"year":[0-9]*,"unit":null,"template_copied":[0-9]*,"template_ratio":[0-9.]*,"few_ratio":[0-9.]*,"self_copied":null,"self_ratio":null,"base":0,"largest_source":{"path":"[^"]*","characters":[0-9]*,"share":[0-9.]*},"sources_total":[0-9]*,"sources":\[.*\],"base_sources":\[\]}' \
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
check "itself: similarity 1, one passage" grep -q '"similarity":1,"copied_a":2257,"copied_b":2257,"passages":\[{"kind":"copy","a":{"start":0,"end":9627,"line":1,"column":1},"b":{"start":0,"end":9627,"line":1,"column":1},"characters":2907,"matched":2907,' "$tmp/out"
sed 's/特别注意掌握网络舆情/持别注意掌握网络舆情/' "$s003" > "$tmp/edited.txt"
check "edited copy" test "$(status_of "$bin" --compact "$s003" "$tmp/edited.txt")" = 0
check "edited copy: one passage, one character unmatched" grep -q '"characters":2907,"matched":2906,' "$tmp/out"

# thresholds as flags: a larger gap or another t changes nothing here, but
# they are recorded, with the limits
check "--template-min --max-sources" test "$(status_of "$bin" --compact --no-terms --template-min 6 --max-sources 1 "$corpus")" = 0
check "flags and limits are recorded" grep -q '"official_terms":false,"template_min":6,"max_sources":1,"all_pairs":false,"family_min_documents":3,"limits":{"band_all_pairs":48,"star_above":8,"repeat_pairs":16,"applied":{"band_all_pairs":0,"star_above":0,"repeat_pairs":[0-9]*}},"base":\[\]}' "$tmp/out"
check "--template-min 6: five seeds make no template" bash -c "! grep -q '\"template_copied\":[1-9]' '$tmp/out'"
check "--max-sources 1: one source listed each" bash -c "! grep -q '\"sources\":\[{[^]]*},{' '$tmp/out'"
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
check "one cluster over three documents" grep -q '"clusters":\[{"documents":3,"size":3,"min_jaccard":0\.[0-9]*,"max_jaccard":[0-9.]*,"members":\[{"path":"[^"]*c1.txt","paragraph":1,"start":10,"end":[0-9]*,"line":2,"column":1,' "$tmp/out"
check "--min-jaccard 0.99: no cluster" bash -c \
  "'$bin' --compact --min-jaccard 0.99 --min-containment 2 '$tmp/c1.txt' '$tmp/c2.txt' '$tmp/c3.txt' | grep -q '\"clusters\":\[\]'"
check "--min-containment 0.95: the contained paragraph" bash -c \
  "'$bin' --compact --min-jaccard 0.99 --min-containment 0.95 '$tmp/c1.txt' '$tmp/c2.txt' '$tmp/c3.txt' | grep -q '\"clusters\":\[{\"documents\":2,\"size\":2,\"min_jaccard\":0.[0-9]*,\"max_jaccard\":[0-9.]*,\"members\":\[{\"path\":\"[^\"]*c1.txt\",\"paragraph\":1,\"start\":10,\"end\":[0-9]*,\"line\":2,\"column\":1,\"jaccard\":0.[0-9]*,\"containment\":1}'"

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
check "empty file: zero characters, ratio 0" grep -q '"characters":0,"official":0,"copied":0,"copy_ratio":0,"year":null,"unit":null,"template_copied":0,"template_ratio":0,"few_ratio":0,"self_copied":null,"self_ratio":null,"base":0,"largest_source":null' "$tmp/out"
check "no progress line when stderr is not a terminal" test ! -s "$tmp/err"

# template families: mass copying is shown once, at linear cost
mkdir "$tmp/fam" "$tmp/fam/five" "$tmp/fam/tpl" "$tmp/fam/base" "$tmp/fam/rep" "$tmp/fam/meta"
/usr/bin/python3 - "$tmp/fam" <<'PY'
import random, sys
rng = random.Random(11)
out = sys.argv[1]
def han(n):
    return ''.join(chr(0x4E00 + rng.randrange(6000)) for _ in range(n))
def write(path, text):
    with open(f"{out}/{path}", "w", encoding="utf-8") as f:
        f.write(text)
# three identical reports among five
report = ''.join(han(60) + "。\n" for _ in range(5))
for name in ("r1", "r2", "r3"):
    write(f"five/{name}.txt", "标题\n" + report)
for name in ("o1", "o2"):
    write(f"five/{name}.txt", "标题\n" + ''.join(han(60) + "。\n" for _ in range(5)))
# one paragraph copied into 300 reports among 320
template = han(70)
for i in range(320):
    paras = [han(50) + "。" for _ in range(3)]
    if i < 300:
        paras.insert(1, template + "。")
    write(f"tpl/d{i:03d}.txt", "标题\n" + "\n".join(paras) + "\n")
# a notice that three reports quote, and what else they share
notice = han(80)
write("base/notice.txt", "通知\n" + han(40) + "。\n" + notice + "。\n")
for i in range(3):
    write(f"base/u{i}.txt", "报告\n" + han(50) + "。\n" + notice + "。\n" + han(50) + "。\n")
# a unit's report copied into its next year's report and into another
# unit's report (whose metadata gives the earliest year)
shared = han(60)
later = han(50)
write("meta/a2021.txt", "报告\n" + han(40) + "。\n" + shared + "。\n" + han(40) + "。\n")
write("meta/a2022.txt", "报告\n" + han(40) + "。\n" + shared + "。\n" + later + "。\n")
write("meta/b2022.txt", "报告\n" + han(40) + "。\n" + shared + "。\n" + later + "。\n")
# two identical files of repetitive text
write("rep/a.txt", "甲乙丙丁戊己庚辛" * 3000 + "\n")
write("rep/b.txt", "甲乙丙丁戊己庚辛" * 3000 + "\n")
PY
check "three identical among five" test "$(status_of "$bin" --compact --no-terms "$tmp/fam/five")" = 0
check "three identical: one family of three" grep -q '"families":\[{"documents":3,"size":3,[^]]*\]}\],"clusters"' "$tmp/out"
for name in r1 r2 r3; do
  check "three identical: ratio 1 for $name" grep -q "\"path\":\"[^\"]*/$name.txt\",\"characters\":[0-9]*,\"official\":0,\"copied\":[0-9]*,\"copy_ratio\":1," "$tmp/out"
done
for name in o1 o2; do
  check "three identical: ratio 0 for $name" grep -q "\"path\":\"[^\"]*/$name.txt\",\"characters\":[0-9]*,\"official\":0,\"copied\":0,\"copy_ratio\":0," "$tmp/out"
done
check "300 copies" test "$(status_of "$bin" --format jsonl --no-terms "$tmp/fam/tpl")" = 0
cp "$tmp/out" "$tmp/tpl1.jsonl"
check "300 copies: one family of 300" test "$(grep -c '^{"record":"family","documents":300,"size":300,' "$tmp/tpl1.jsonl")" = 1
check "300 copies: no other family" test "$(grep -c '^{"record":"family"' "$tmp/tpl1.jsonl")" = 1
check "300 copies: each member with its line and column" test \
  "$(grep '^{"record":"family"' "$tmp/tpl1.jsonl" | grep -o '"paragraph":2,"start":[0-9]*,"end":[0-9]*,"line":3,"column":1,' | wc -l)" = 300
check "300 copies: every copy counts it, as a template" test \
  "$(grep -c '^{"record":"document",[^{]*"template_ratio":0\.[0-9]*[1-9]' "$tmp/tpl1.jsonl")" = 300
# 300 copies of a paragraph: its band keys are shared by 300 paragraphs and
# its fingerprints by 300 reports, past both limits, and the output says so
check "300 copies: the limits that applied are named" bash -c \
  "head -n 1 '$tmp/tpl1.jsonl' | grep -q '\"limits\":{\"band_all_pairs\":48,\"star_above\":8,\"repeat_pairs\":16,\"applied\":{\"band_all_pairs\":[1-9][0-9]*,\"star_above\":[1-9][0-9]*,\"repeat_pairs\":0}}'"
check "300 copies: records linear in the copies (not 44,850 pairs)" test "$(wc -l < "$tmp/tpl1.jsonl")" -lt 1000
check "300 copies: one thread" test "$(status_of "$bin" --format jsonl --no-terms --threads 1 "$tmp/fam/tpl")" = 0
check "300 copies: 1 and 4 threads byte-identical" cmp -s "$tmp/out" "$tmp/tpl1.jsonl"
"$bin" --format jsonl --no-terms --threads 4 "$tmp/fam/tpl" > "$tmp/tpl4.jsonl"
check "300 copies: 4 threads byte-identical" cmp -s "$tmp/tpl4.jsonl" "$tmp/tpl1.jsonl"
check "same file twice" test "$(status_of "$bin" --compact "$s003" "$s003" "$corpus/../corpus/$(basename "$s003")")" = 0
check "same file twice: analysed once" test "$(grep -o '"path":"[^"]*","characters"' "$tmp/out" | wc -l)" = 1
check "same file twice: warned" grep -q "warning: .*$(basename "$s003") is $s003 again: analysed once" "$tmp/err"
check "without --base" test "$(status_of "$bin" --compact --no-terms "$tmp/fam/base/u0.txt" "$tmp/fam/base/u1.txt" "$tmp/fam/base/u2.txt")" = 0
check "without --base the notice is copied" grep -q '"families":\[{"documents":3,' "$tmp/out"
check "without --base: u0 copied" grep -q '"path":"[^"]*u0.txt","characters":[0-9]*,"official":0,"copied":8[0-9],' "$tmp/out"
check "--base" test "$(status_of "$bin" --compact --no-terms --base "$tmp/fam/base/notice.txt" "$tmp/fam/base/u0.txt" "$tmp/fam/base/u1.txt" "$tmp/fam/base/u2.txt")" = 0
check "--base: named in the parameters" grep -q "\"base\":\[\"$tmp/fam/base/notice.txt\"\]}" "$tmp/out"
check "--base: not a document of the batch" bash -c "! grep -q '\"path\":\"[^\"]*notice.txt\",\"characters\":[0-9]*,\"official\"' '$tmp/out'"
for name in u0 u1 u2; do
  check "--base: $name copied nothing, the notice named" grep -q "\"path\":\"[^\"]*/$name.txt\",\"characters\":[0-9]*,\"official\":0,\"copied\":0,\"copy_ratio\":0,[^{]*\"base\":8[0-9],\"largest_source\":null,\"sources_total\":0,\"sources\":\[\],\"base_sources\":\[{\"path\":\"$tmp/fam/base/notice.txt\"" "$tmp/out"
done
check "--base: no family, no pair" grep -q '"pairs":\[\],"families":\[\]' "$tmp/out"
check "--base --all-pairs: the pairs sharing base text" test "$(status_of "$bin" --compact --no-terms --all-pairs --base "$tmp/fam/base/notice.txt" "$tmp/fam/base/u0.txt" "$tmp/fam/base/u1.txt")" = 0
check "--base --all-pairs: kind base" grep -q '"kind":"base"' "$tmp/out"
check "repetitive text twice" test "$(status_of "$bin" --compact --no-terms "$tmp/fam/rep/a.txt" "$tmp/fam/rep/b.txt")" = 0
check "repetitive text twice: ratio 1 each" test "$(grep -o '"copy_ratio":1,' "$tmp/out" | wc -l)" = 2
check "repetitive text twice: repeat_pairs applied, and said" grep -q '"applied":{"band_all_pairs":0,"star_above":0,"repeat_pairs":[1-9][0-9]*}' "$tmp/out"
check "a few reports of their own: no limit applied" test "$(status_of "$bin" --compact --no-terms "$tmp/fam/five")" = 0
check "no limit applied: all counts 0" grep -q '"applied":{"band_all_pairs":0,"star_above":0,"repeat_pairs":0}' "$tmp/out"

# --meta: each report's unit and year from a TSV (gw_meta_load_file), its
# rows matched to the paths as given ("./" dropped)
printf 'path\tunit\tyear\ttitle\n./meta/a2021.txt\t甲局\t2021\t2021年报告\nmeta/a2022.txt\t甲局\t2022\t\nmeta/b2022.txt\t乙局\t2020\t\n' > "$tmp/meta.tsv"
in_fam() { (cd "$tmp/fam" && "$@"); }
check "--meta" test "$(status_of in_fam "$bin" --compact --no-terms --meta "$tmp/meta.tsv" meta/a2021.txt meta/a2022.txt meta/b2022.txt)" = 0
check "--meta: unit and year of each report (a './' row too)" grep -q '"path":"meta/a2021.txt","characters":[0-9]*,"official":0,"copied":60,"copy_ratio":[0-9.]*,"year":2021,"unit":"甲局",[^{]*"self_copied":0,"self_ratio":0,' "$tmp/out"
check "--meta: copying from the unit's earlier report is self-copy" grep -q '"path":"meta/a2022.txt","characters":[0-9]*,"official":0,"copied":110,"copy_ratio":[0-9.]*,"year":2022,"unit":"甲局",[^{]*"self_copied":60,"self_ratio":0\.[0-9]*,' "$tmp/out"
check "--meta: another unit's copy is not" grep -q '"path":"meta/b2022.txt","characters":[0-9]*,"official":0,"copied":110,"copy_ratio":[0-9.]*,"year":2020,"unit":"乙局",[^{]*"self_copied":0,"self_ratio":0,' "$tmp/out"
check "--meta: the earliest member by the years given" grep -q '"families":\[{"documents":3,"size":3,"characters":60,"earliest":{"path":"meta/b2022.txt","year":2020}' "$tmp/out"
check "without --meta" test "$(status_of in_fam "$bin" --compact --no-terms meta/a2021.txt meta/a2022.txt meta/b2022.txt)" = 0
check "without --meta: no unit, self-copy unknown (null, not 0), no earliest" bash -c \
  "test \"\$(grep -o '\"year\":null,\"unit\":null,[^{]*\"self_copied\":null,\"self_ratio\":null,' '$tmp/out' | wc -l)\" = 3 && grep -q '\"earliest\":null' '$tmp/out'"
printf 'path\tunit\tyear\nmeta/a2021.txt\t甲局\t2021\nmeta/a2022.txt\t\t2022\n' > "$tmp/part-meta.tsv"
check "--meta naming some units" test "$(status_of in_fam "$bin" --compact --no-terms --meta "$tmp/part-meta.tsv" meta/a2021.txt meta/a2022.txt meta/b2022.txt)" = 0
check "... a known unit: self-copy a number" grep -q '"path":"meta/a2021.txt",[^{]*"unit":"甲局",[^{]*"self_copied":0,"self_ratio":0,' "$tmp/out"
check "... a row without a unit, or no row: null" \
  test "$(grep -o '"unit":null,[^{]*"self_copied":null,"self_ratio":null,' "$tmp/out" | wc -l)" = 2
printf 'path\tunit\tyear\nmeta/a2021.txt\t甲局\t2021\n\nmeta/a2022.txt\t甲局\t20x2\n' > "$tmp/bad-meta.tsv"
check "a bad --meta file exits 2" test "$(status_of "$bin" --meta "$tmp/bad-meta.tsv" "$tmp/fam/meta")" = 2
check "... naming its file and line" grep -q "^gw-dups: error: $tmp/bad-meta.tsv:4: " "$tmp/err"
check "... and nothing on stdout" test ! -s "$tmp/out"
check "a missing --meta file exits 2" test "$(status_of "$bin" --meta "$tmp/no-meta.tsv" "$tmp/fam/meta")" = 2
check "... naming it" grep -q "^gw-dups: error: $tmp/no-meta.tsv: " "$tmp/err"

# --format text: the summary, with quotes and line numbers
check "text" test "$(status_of "$bin" --format text "$corpus")" = 0
check "text: the ranking" grep -q '^  3\.7%  [^ ]*001_84632f9a43899128.txt  main source [^ ]*003_1973e543c9b997a8.txt (2\.0%)$' "$tmp/out"
check "text: the pair's passage with its lines" grep -q "^      $s003 line 10 ~ $s004 line 7\$" "$tmp/out"
check "text: the passage as it stands in the file" grep -q '^      “式，不断加强党员干部思想建设工作力度”$' "$tmp/out"
check "text and --compact exits 2" test "$(status_of "$bin" --format text --compact "$corpus")" = 2
COLUMNS=50 "$bin" --format text --no-terms "$tmp/fam/tpl" > "$tmp/tpl.txt" 2>/dev/null
check "text: the family of 300 first, where it stands" grep -A2 -q '^  300 reports, 70 characters$' "$tmp/tpl.txt"
check "text: family members with their lines" grep -q '^      [^ ]*/d000.txt line 3, [^ ]*/d001.txt line 3, [^ ]*/d002.txt line 3, and 297 more reports$' "$tmp/tpl.txt"
check "text: the limits that applied" grep -q '^Limits applied (they chose which pairs were compared, not what was found): band_all_pairs [1-9][0-9]*, star_above [1-9][0-9]*$' "$tmp/tpl.txt"
"$bin" --format text --no-terms "$tmp/fam/five" > "$tmp/five.txt" 2>/dev/null
check "text: no limit, no line" bash -c "! grep -q '^Limits applied' '$tmp/five.txt'"
check "text: quotes cut to the width (21 characters and …)" bash -c "grep '^      “' '$tmp/tpl.txt' | LC_ALL=C.UTF-8 grep -c -v -E '^      “.{1,22}”\$' | grep -qx 0"

finish
