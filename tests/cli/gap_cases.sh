# gw-gap cases, sourced by test_gw_terms.sh (uses its check, status_of,
# slice, $gap, $corpus, $seed4, $tmp).

check "gw-gap --help" test "$(status_of "$gap" --help)" = 0
check "gw-gap usage" grep -q '^usage: gw-gap' "$tmp/out"
check "gw-gap without --corpus or --checklist exits 2" test "$(status_of "$gap" "$seed4")" = 2
check "gw-gap with two drafts exits 2" test "$(status_of "$gap" "$seed4" "$seed4" --corpus "$corpus")" = 2
check "gw-gap with a missing draft exits 2" test "$(status_of "$gap" "$tmp/none.txt" --corpus "$corpus")" = 2
check "gw-gap bad --min-share exits 2" test "$(status_of "$gap" "$seed4" --corpus "$corpus" --min-share 2)" = 2

# A draft made by deleting two terms from seed 004: with --min-share 1 the
# deleted terms are reported, and nothing else that all five references share.
sed -e 's/习近平新时代中国特色社会主义思想//g' -e 's/一岗双责//g' "$seed4" > "$tmp/draft.txt"
check "gap: draft with deleted terms" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --min-share 1)" = 0
cp "$tmp/out" "$tmp/gap.json"
check "gap: five references" grep -q '"references":	5,' "$tmp/gap.json"
missing=$(sed -n '/^	"missing":/,/^	"unique":/p' "$tmp/gap.json" | grep -o '^			"term":	"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | LC_ALL=C sort | tr '\n' ' ')
check "gap: exactly the deleted terms are missing" test "$missing" = "$(printf '%s\n' 一岗双责 习近平新时代中国特色社会主义思想 | LC_ALL=C sort | tr '\n' ' ')"
check "gap: used by 5 of 5" test "$(grep -c '"documents":	5,' "$tmp/gap.json")" = 2
check "gap: an example sentence from a reference" \
  grep -q '"text":	"[^"]*一岗双责[^"]*"' "$tmp/gap.json"
check "gap: where the references use it" grep -q '"section":	"work_done",' "$tmp/gap.json"
check "gap: the draft's broken formulation" grep -q '"found":	"同部署、同落实、同考核"' "$tmp/gap.json"
# the example's offsets slice its reference file
ex_path=$(grep -m1 -A1 '"example":' "$tmp/gap.json" | grep -o '"path":	"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
ex_start=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"start":' | sed 's/[^0-9]//g')
ex_end=$(grep -m1 -A8 '"example":' "$tmp/gap.json" | grep -m1 '"end":' | sed 's/[^0-9]//g')
check "gap: example offsets slice the reference" \
  bash -c "[ -n '$ex_path' ] && grep -qF \"\$(tail -c +$((ex_start + 1)) '$ex_path' | head -c $((ex_end - ex_start)))\" '$tmp/gap.json'"
# the same draft at the default share reports more, each used by at least half
check "gap: default --min-share" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus")" = 0
check "gap: min_share 0.5" grep -q '"min_share":	0.5,' "$tmp/out"
check "gap: more terms at 0.5" \
  test "$(sed -n '/^	"missing":/,/^	"unique":/p' "$tmp/out" | grep -c '^			"term":')" -gt 2
check "gap: none used by fewer than 3 of 5" \
  bash -c "! sed -n '/^	\"missing\":/,/^	\"unique\":/p' '$tmp/out' | grep -q '^			\"documents\":	[012],'"
# the draft itself inside the corpus is skipped
check "gap: the draft in the corpus is no reference" test "$(status_of "$gap" "$seed4" --corpus "$corpus")" = 0
check "gap: four references" grep -q '"references":	4,' "$tmp/out"
check "gap: terms only the draft uses" grep -q '"term":	"四个自信"' <(sed -n '/^	"unique":/,/^	"broken":/p' "$tmp/out")

# a checklist: a term missing from the draft is always reported
printf '# checklist\n一岗双责\n网格化管理\n四个自信\n' > "$tmp/checklist.txt"
check "gap: --checklist" test "$(status_of "$gap" "$seed4" --checklist "$tmp/checklist.txt")" = 0
missing=$(sed -n '/^	"missing":/,/^	"unique":/p' "$tmp/out" | grep -o '^			"term":	"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' | tr '\n' ' ')
check "gap: only the checklist term the draft lacks" test "$missing" = "网格化管理 "
check "gap: marked as a checklist term" grep -q '"checklist":	true' "$tmp/out"
check "gap: --format text" test "$(status_of "$gap" "$tmp/draft.txt" --corpus "$corpus" --min-share 1 --format text)" = 0
check "gap: text names the missing term with its share" grep -q '一岗双责 \[数字概括\]: used by 5 of 5 references' "$tmp/out"
check "gap: text shows the broken formulation" grep -q 'should be: 同部署、同落实、同检查、同考核; missing 同检查' "$tmp/out"
{ printf '\177ELF\2\1\1'; head -c 2048 /dev/zero; } > "$tmp/refs.bin"
mkdir -p "$tmp/refs" && cp "$corpus"/00[0-2]*.txt "$tmp/refs/" && cp "$tmp/refs.bin" "$tmp/refs/bad.txt"
check "gap: a bad reference exits 1" test "$(status_of "$gap" "$seed4" --corpus "$tmp/refs")" = 1
check "gap: the bad reference is listed" grep -q 'bad.txt' "$tmp/out"
