#!/usr/bin/env bash
# CLI tests of gw-gap: exit codes, JSON keys and order, the structure gap,
# missing terms ranked and explained (parts named as the references name
# them, an example sentence from a body, never a title or heading), terms
# out of date in the draft's year never advised, the draft's broken,
# outdated and stale formulations, the text a drafter reads.
# usage: test_gw_gap.sh BIN_DIR CORPUS_DIR
set -u
gap=$1/gw-gap
corpus=$2
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/json_keys.sh"

# The terms of the "missing" list, in order, space-separated.
missing_terms() {
  sed -n '/^	"missing":/,/^	"omitted":/p' "$1" | grep -o '^			"term":	"[^"]*"' |
    sed 's/.*"\([^"]*\)"$/\1/' | tr '\n' ' '
}
flat() { tr -d '\n' < "$1"; }

seed0="$corpus/000_c510bc378b158120.txt"
seed4="$corpus/004_c0ae98798d36dd3b.txt"

# --help, usage errors
check "--help" test "$(status_of "$gap" --help)" = 0
check "usage" grep -q '^usage: gw-gap' "$tmp/out"
check "without --corpus or --checklist exits 2" test "$(status_of "$gap" "$seed4")" = 2
check "two drafts exit 2" test "$(status_of "$gap" "$seed4" "$seed4" --corpus "$corpus")" = 2
check "a missing draft exits 2" test "$(status_of "$gap" "$tmp/none.txt" --corpus "$corpus")" = 2
check "a folder as the draft exits 2" test "$(status_of "$gap" "$corpus" --corpus "$corpus")" = 2
check "bad --min-share exits 2" test "$(status_of "$gap" "$seed4" --corpus "$corpus" --min-share 2)" = 2
check "bad --top exits 2" test "$(status_of "$gap" "$seed4" --corpus "$corpus" --top x)" = 2
check "a missing --dictionary exits 2" test "$(status_of "$gap" "$seed4" --corpus "$corpus" --dictionary "$tmp/none.gwd")" = 2
check "the missing dictionary is named" grep -q 'none.gwd' "$tmp/err"

# A draft made by deleting two terms from seed 004: with --min-share 1 the
# deleted terms are reported, and nothing else that all five references share.
sed -e 's/习近平新时代中国特色社会主义思想//g' -e 's/一岗双责//g' "$seed4" > "$tmp/draft.txt"
check "draft with deleted terms" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --min-share 1)" = 0
cp "$tmp/out" "$tmp/gap.json"
check "five references" grep -q '"references":	5,' "$tmp/gap.json"
keys=$(grep -o '^	"[a-z_]*":' "$tmp/gap.json" | tr -d '\t":' | tr '\n' ' ')
check "top-level keys in order" test "$keys" = \
  "draft year references min_share top structure missing omitted unique broken outdated stale errors "
check "a missing term's keys in order" test "$(first_keys "$tmp/gap.json" missing)" = \
  "term category checklist documents share general score sections example "
check "a part's keys in order" test "$(first_keys "$tmp/gap.json" sections)" = \
  "section name documents count "
check "an example's keys in order" \
  test "$(grep -A9 '"example":	{' "$tmp/gap.json" | head -10 | grep -o '^				"[a-z_]*":' | tr -d '\t":' | tr '\n' ' ')" = \
  "path text start end line column section name "
check "a structure record's keys in order" test "$(first_keys "$tmp/gap.json" structure)" = \
  "section name references median_characters draft_characters gap "
missing=$(missing_terms "$tmp/gap.json" | tr ' ' '\n' | grep . | LC_ALL=C sort | tr '\n' ' ')
check "exactly the deleted terms are missing" test "$missing" = "$(printf '%s\n' 一岗双责 习近平新时代中国特色社会主义思想 | LC_ALL=C sort | tr '\n' ' ')"
check "each used by 5 of 5" \
  test "$(flat "$tmp/gap.json" | grep -o '"checklist":	false,[[:space:]]*"documents":	5,[[:space:]]*"share":	1,' | wc -l)" = 2
check "an example sentence from a reference" grep -q '"text":	"[^"]*一岗双责[^"]*"' "$tmp/gap.json"
check "parts named as the references name them" \
  grep -q '"section":	"work_done",[[:space:]]*"name":	"工作开展情况",[[:space:]]*"documents":	[0-9]*,[[:space:]]*"count":' <(flat "$tmp/gap.json")
check "the draft's broken formulation" grep -q '"found":	"同部署、同落实、同考核"' "$tmp/gap.json"
# the example's offsets slice its reference file
ex_path=$(grep -m1 -A1 '"example":' "$tmp/gap.json" | grep -o '"path":	"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
ex_start=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"start":' | sed 's/[^0-9]//g')
ex_end=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"end":' | sed 's/[^0-9]//g')
check "example offsets slice the reference" \
  bash -c "[ -n '$ex_path' ] && grep -qF \"\$(tail -c +$((ex_start + 1)) '$ex_path' | head -c $((ex_end - ex_start)))\" '$tmp/gap.json'"
# ... and its line and column are where its start stands
ex_line=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"line":' | sed 's/[^0-9]//g')
ex_column=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"column":' | sed 's/[^0-9]//g')
before=$(head -c "$ex_start" "$ex_path"; printf x)
before=${before%x}
check "example line" test "$ex_line" = "$(($(printf '%s' "$before" | wc -l) + 1))"
check "example column" \
  test "$ex_column" = "$(($(printf '%s' "${before##*$'\n'}" | LC_ALL=C.UTF-8 wc -m) + 1))"

# The default floor: 0.2 of the references, two at least; ranked, --top.
check "default --min-share" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus")" = 0
cp "$tmp/out" "$tmp/default.json"
check "min_share 0.2, top 20" grep -q '"min_share":	0.2,[[:space:]]*"top":	20,' <(flat "$tmp/default.json")
check "more terms at the default floor" test "$(missing_terms "$tmp/default.json" | wc -w)" -gt 2
check "none used by fewer than 2 references" \
  bash -c "! sed -n '/^	\"missing\":/,/^	\"omitted\":/p' '$tmp/default.json' | grep -q '^			\"documents\":	[01],'"
scores=$(sed -n '/^	"missing":/,/^	"omitted":/p' "$tmp/default.json" | grep '^			"score":' | sed 's/[^0-9.]//g')
check "ranked by score" test "$scores" = "$(sort -g -r <<< "$scores")"
check "--top 3" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --top 3)" = 0
check "--top 3 lists three" test "$(missing_terms "$tmp/out" | wc -w)" = 3
check "--top 3: the first three of the default" \
  test "$(missing_terms "$tmp/out")" = "$(missing_terms "$tmp/default.json" | cut -d' ' -f1-3) "
check "--top 3: the others counted" \
  grep -q "\"omitted\":	$(( $(missing_terms "$tmp/default.json" | wc -w) - 3 ))," "$tmp/out"

# Weighed against general text: a common word (发展 in jieba's counts)
# ranks below a term as widely used in the references but rare elsewhere.
mkdir -p "$tmp/weigh"
for u in 甲 乙 丙; do
  printf '%s单位工作报告\n一、工作开展情况\n我们坚持发展，推行网格化管理，%s单位各项工作取得新的进展。\n' "$u" "$u" > "$tmp/weigh/$u.txt"
done
printf '丁单位工作报告\n一、工作开展情况\n我们推进各项工作。\n' > "$tmp/weigh-draft.txt"
printf '发展\t测试\n网格化管理\t测试\n' > "$tmp/weigh.tsv"
check "weighing" test "$(status_of "$gap" "$tmp/weigh-draft.txt" --corpus "$tmp/weigh" --no-default-terms --terms "$tmp/weigh.tsv")" = 0
check "the rare term first, the common word after it" test "$(missing_terms "$tmp/out")" = "网格化管理 发展 "
check "the common word's general share is above 0" \
  grep -q '"term":	"发展",[^}]*"general":	0\.[0-9]*[1-9]' <(flat "$tmp/out")
check "the rare term's general share is 0" \
  grep -q '"term":	"网格化管理",[^}]*"general":	0,[[:space:]]*"score":	1,' <(flat "$tmp/out")

# The example is a sentence of the body, never the title or a heading, even
# when the term comes first in them.
mkdir -p "$tmp/titled"
for u in 甲 乙; do
  printf '关于网格化管理的%s单位报告\n一、网格化管理开展情况\n（一）网格化管理\n各社区全面推行网格化管理，%s单位群众满意度逐年提升。\n' "$u" "$u" > "$tmp/titled/$u.txt"
done
check "titled references" test "$(status_of "$gap" "$tmp/weigh-draft.txt" --corpus "$tmp/titled" --terms "$tmp/weigh.tsv")" = 0
check "the example is the body sentence" \
  grep -q '"text":	"各社区全面推行网格化管理，[甲乙]单位群众满意度逐年提升。",' "$tmp/out"
check "its section named by the reference's heading" \
  grep -q '"section":	"work_done",[[:space:]]*"name":	"网格化管理开展情况"' <(flat "$tmp/out")

# The structure gap: seed 000 with its 存在的问题 section deleted.
sed '6,10d' "$seed0" > "$tmp/no-problems.txt"
check "no 存在的问题" test "$(status_of "$gap" "$tmp/no-problems.txt" --corpus "$corpus")" = 0
check "the missing section, named, with the references that have it" \
  grep -q '"section":	"problems",[[:space:]]*"name":	"存在的问题",[[:space:]]*"references":	5,[[:space:]]*"median_characters":	[0-9]*,[[:space:]]*"draft_characters":	null,[[:space:]]*"gap":	"missing"' <(flat "$tmp/out")
check "the other sections are no gap" test "$(grep -c '"gap":	null' "$tmp/out")" = 2
check "as text" test "$(status_of "$gap" "$tmp/no-problems.txt" --corpus "$corpus" --format text)" = 0
check "text: the missing section" \
  grep -q '^  missing  存在的问题: 5 of 5 references have this section; the draft has none$' "$tmp/out"
check "the seed itself has every section" test "$(status_of "$gap" "$seed0" --corpus "$corpus")" = 0
check "seed 000: no gap" test "$(grep -c '"gap":	null' "$tmp/out")" = 3
# its problems cut to one sentence: much shorter than in the references
sed -e '7,10d' -e '6a一是认识程度有待加深。' "$seed0" > "$tmp/short.txt"
check "a short 存在的问题" test "$(status_of "$gap" "$tmp/short.txt" --corpus "$corpus")" = 0
check "the shorter section with both lengths" \
  grep -q '"section":	"problems",[^}]*"draft_characters":	11,[[:space:]]*"gap":	"shorter"' <(flat "$tmp/out")
check "text: the shorter section" bash -c \
  "'$gap' '$tmp/short.txt' --corpus '$corpus' --format text | grep -q '^  shorter  存在的问题: 11 characters in the draft, [0-9]* in the median reference$'"
# one heading for two sections: 存在问题及下一步工作打算 holds both
check "seed 004 against the others" test "$(status_of "$gap" "$seed4" --corpus "$corpus")" = 0
cp "$tmp/out" "$tmp/s4.json"
check "a combined heading covers 下一步工作打算" \
  grep -q '"section":	"next_steps",[^}]*"gap":	null' <(flat "$tmp/s4.json")

# Seed 004 (2023) against the others: what it quotes broken is no missing
# term; what its year has left behind is no advice.
check "the draft in the corpus is no reference" grep -q '"references":	4,' "$tmp/s4.json"
check "terms only the draft uses" grep -q '"term":	"四个自信"' <(sed -n '/^	"unique":/,/^	"broken":/p' "$tmp/s4.json")
check "a formulation quoted broken is not missing" \
  bash -c "! sed -n '/^	\"missing\":/,/^	\"omitted\":/p' '$tmp/s4.json' | grep -q '\"term\":	\"同部署、同落实、同检查、同考核\"'"
check "an ended campaign (党史学习教育, 2021-2022) is no advice in 2023" \
  bash -c "! sed -n '/^	\"missing\":/,/^	\"omitted\":/p' '$tmp/s4.json' | grep -q '\"term\":	\"党史学习教育\"'"
check "a plenum of the 19th Congress is no advice in 2023" \
  bash -c "! sed -n '/^	\"missing\":/,/^	\"omitted\":/p' '$tmp/s4.json' | grep -q '\"term\":	\"党的十九届六中全会\"'"
check "--year 2021" test "$(status_of "$gap" "$seed4" --corpus "$corpus" --year 2021)" = 0
check "in 2021 the campaign is advice" \
  grep -q '"term":	"党史学习教育"' <(sed -n '/^	"missing":/,/^	"omitted":/p' "$tmp/out")

# The draft's outdated and stale formulations, with their kinds.
printf '%s\n' '2024年工作情况报告' '一、工作开展情况' \
  '我们深入学习贯彻党的十九届四中全会精神，深入推进“不忘初心、牢记使命”主题教育，市卫生计生委积极配合。' > "$tmp/dated.txt"
check "dated draft" test "$(status_of "$gap" "$tmp/dated.txt" --corpus "$corpus")" = 0
check "outdated: a meeting and a renamed institution" \
  test "$(grep -o '"kind":	"\(meeting\|renamed\)"' "$tmp/out" | tr '\n' ' ')" = '"kind":	"meeting" "kind":	"renamed" '
check "stale: the campaign with its years" \
  grep -q '"stale":	\[{[[:space:]]*"term":	"不忘初心、牢记使命主题教育",[[:space:]]*"started":	2019,[[:space:]]*"ended":	2020,' <(flat "$tmp/out")
check "dated draft as text" test "$(status_of "$gap" "$tmp/dated.txt" --corpus "$corpus" --format text)" = 0
check "text: the old name" grep -q '^  old name 卫生和计划生育委员会  (line 3, bytes [0-9]*-[0-9]*)  renamed 卫生健康委员会 in 2018$' "$tmp/out"
check "text: the stale campaign" grep -q '^  stale    不忘初心、牢记使命主题教育  (line 3, bytes [0-9]*-[0-9]*)  cited as ongoing, but the campaign ran 2019–2020$' "$tmp/out"

# The text a drafter reads.
check "--format text" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --format text)" = 0
cp "$tmp/out" "$tmp/gap.txt"
check "text: the header with the year" grep -q '^Draft .*draft.txt (year 2023), compared with 5 reference reports$' "$tmp/gap.txt"
check "text: a missing term, numbered, with its category" grep -q '^  [0-9]\. 一岗双责  \[数字概括\]$' "$tmp/gap.txt"
check "text: how many references use it, and where, in Chinese" \
  grep -q '^     used by 5 of 5 references, in 工作开展情况 ([0-9] of them)' "$tmp/gap.txt"
grep -A1 '^     e\.g\. “' "$tmp/gap.txt" > "$tmp/eg.txt"
check "text: an example sentence with its reference and section" \
  grep -q '^          (.*[0-9a-f]\.txt line [0-9]*, [^)]*)$' "$tmp/eg.txt"
check "text: no section type keys, no 'none'" bash -c "! grep -qw 'none\|work_done\|next_steps\|problems' <(sed -n '1,/^Terms no reference uses/p' '$tmp/gap.txt')"
check "text: the broken formulation" grep -q 'should be: 同部署、同落实、同检查、同考核; missing 同检查' "$tmp/gap.txt"
check "text: the terms left out by --top" bash -c \
  "'$gap' '$tmp/draft.txt' --corpus '$corpus' --format text --top 1 | grep -q '^  \.\.\. and [0-9]* more (--top N lists more)$'"
printf '关于意识形态工作的报告\n落实一岗双责。\n' > "$tmp/undated.txt"
check "undated draft" test "$(status_of "$gap" "$tmp/undated.txt" --corpus "$corpus" --format text)" = 0
check "text: year unknown" grep -q '^Draft .*undated.txt (year unknown), compared with 5 reference reports$' "$tmp/out"
check "undated draft: year null" bash -c "'$gap' '$tmp/undated.txt' --corpus '$corpus' | grep -q '^	\"year\":	null,'"

# a checklist: a term missing from the draft is always reported
printf '# checklist\n一岗双责\n网格化管理\n四个自信\n' > "$tmp/checklist.txt"
check "--checklist" test "$(status_of "$gap" "$seed4" --checklist "$tmp/checklist.txt")" = 0
check "only the checklist term the draft lacks" test "$(missing_terms "$tmp/out")" = "网格化管理 "
check "marked as a checklist term" grep -q '"checklist":	true' "$tmp/out"
check "checklist terms first, then the corpus's" \
  test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --checklist "$tmp/checklist.txt")" = 0
check "the checklist terms lead (一岗双责 is on it too)" \
  test "$(missing_terms "$tmp/out" | cut -d' ' -f1-2)" = "一岗双责 网格化管理"
check "then the corpus's terms" \
  test "$(missing_terms "$tmp/out" | cut -d' ' -f3)" = "$(missing_terms "$tmp/default.json" | tr ' ' '\n' | grep -v '^一岗双责$' | head -1)"
check "--checklist as text" test "$(status_of "$gap" "$seed4" --checklist "$tmp/checklist.txt" --format text)" = 0
check "text: checked against the checklist" grep -q '^Draft .* (year 2023), checked against the checklist$' "$tmp/out"
check "text: the checklist term" grep -q '^  1\. 网格化管理  \[清单\]  (on the checklist)$' "$tmp/out"

# bad references
{ printf '\177ELF\2\1\1'; head -c 2048 /dev/zero; } > "$tmp/refs.bin"
mkdir -p "$tmp/refs" && cp "$corpus"/00[0-2]*.txt "$tmp/refs/" && cp "$tmp/refs.bin" "$tmp/refs/bad.txt"
check "a bad reference exits 1" test "$(status_of "$gap" "$seed4" --corpus "$tmp/refs")" = 1
check "the bad reference is listed" grep -q 'bad.txt' "$tmp/out"
check "byte-identical across runs and threads" bash -c \
  "cmp -s <('$gap' '$tmp/draft.txt' --corpus '$corpus' --threads 1) <('$gap' '$tmp/draft.txt' --corpus '$corpus' --threads 3)"

finish
