#!/usr/bin/env bash
# CLI tests of gw-terms: exit codes, JSON keys and order, offsets into the
# original bytes, outdated, stale and generated terms, user term files,
# formats.  gw-gap's are in test_gw_gap.sh.
# usage: test_gw_terms.sh BIN_DIR CORPUS_DIR
set -u
bin=$1/gw-terms
corpus=$2
. "$(dirname "$0")/harness.sh"
. "$(dirname "$0")/json_keys.sh"

# The bytes [start, end) of a file.
slice() { tail -c "+$(($2 + 1))" "$1" | head -c "$(($3 - $2))"; }
# The value of "key": N after the first line matching a pattern.
num_after() { grep -A12 -- "$2" "$1" | grep -m1 "\"$3\":" | sed 's/[^0-9]//g'; }

seed4="$corpus/004_c0ae98798d36dd3b.txt"
seed3="$corpus/003_1973e543c9b997a8.txt"
seed1="$corpus/001_84632f9a43899128.txt"

# --help, --version, usage errors
check "--help exits 0" test "$(status_of "$bin" --help)" = 0
check "--help prints usage" grep -q '^usage: gw-terms' "$tmp/out"
check "--version" test "$(status_of "$bin" --version)" = 0
check "--version names the program" grep -q '^gw-terms (gongwen) [0-9]' "$tmp/out"
check "unknown option exits 2" test "$(status_of "$bin" --no-such-option)" = 2
check "unknown option is reported" grep -q 'gw-terms: error' "$tmp/err"
check "bad --format exits 2" test "$(status_of "$bin" --format xml "$corpus")" = 2
check "bad --year exits 2" test "$(status_of "$bin" --year 22 "$corpus")" = 2
check "missing --terms file exits 2" test "$(status_of "$bin" --terms "$tmp/none.tsv" "$corpus")" = 2
check "missing --terms file is named" grep -q 'none.tsv' "$tmp/err"
printf '# mine\n网格化管理\t制度机制\n意识形态工作\n' > "$tmp/bad.tsv"
check "malformed --terms file exits 2" test "$(status_of "$bin" --terms "$tmp/bad.tsv" "$corpus")" = 2
check "malformed line named FILE:LINE" grep -q 'bad.tsv:3: ' "$tmp/err"

# the corpus as JSON: keys in order, byte-identical runs
check "corpus" test "$(status_of "$bin" "$corpus")" = 0
cp "$tmp/out" "$tmp/corpus.json"
keys=$(grep -o '^	"[a-z_]*":' "$tmp/corpus.json" | tr -d '\t":' | tr '\n' ' ')
check "top-level keys in order" test "$keys" = \
  "documents characters dictionary generated count nested density terms categories top_terms broken outdated stale files errors "
fkeys=$(sed -n "/^	\"files\":/,\$p" "$tmp/corpus.json" | grep -o '^			"[a-z_]*":' | tr -d '\t":' | awk '!seen[$0]++' | tr '\n' ' ')
check "file keys in order" test "$fkeys" = \
  "path year characters count nested density terms categories nested_matches broken outdated stale "
check "a corpus term's keys in order" test "$(first_keys "$tmp/corpus.json" terms)" = \
  "term category count documents density nested generated introduced ended "
check "a file's term's keys in order" test "$(sed -n '/^	"files":/,$p' "$tmp/corpus.json" | first_keys /dev/stdin terms)" = \
  "term category count nested density generated introduced ended "
check "580 of the dictionary's terms are generated names" grep -q '"generated":	580,' "$tmp/corpus.json"
check "a listed term is not generated, with its year" \
  grep -q '"term":	"党史学习教育",[^}]*"generated":	false,[^}]*"introduced":	2021,[^}]*"ended":	2022' <(tr -d '\n' < "$tmp/corpus.json")
check "a term without years has null ones" \
  grep -q '"term":	"一岗双责",[^}]*"introduced":	null,[^}]*"ended":	null' <(tr -d '\n' < "$tmp/corpus.json")
check "five documents" grep -q '"documents":	5,' "$tmp/corpus.json"
"$bin" "$corpus" > "$tmp/corpus2.json"
check "byte-identical across runs" cmp -s "$tmp/corpus.json" "$tmp/corpus2.json"
check "一岗双责 in all five documents, 7 times" \
  test "$(num_after "$tmp/corpus.json" '"term":	"一岗双责"' count)$(num_after "$tmp/corpus.json" '"term":	"一岗双责"' documents)" = 75
check "noise never counts (共产党员网 is only in an advertising line)" \
  bash -c "! grep -q '共产党员网' '$tmp/corpus.json'"

# offsets: a broken formulation of seed 004 slices the original bytes
check "seed 004" test "$(status_of "$bin" "$seed4")" = 0
cp "$tmp/out" "$tmp/s4.json"
check "broken 同部署、同落实、同考核 found" grep -q '"found":	"同部署、同落实、同考核"' "$tmp/s4.json"
check "its canonical form and missing part" \
  bash -c "grep -B2 '\"found\":	\"同部署、同落实、同考核\"' '$tmp/s4.json' | grep -q '同部署、同落实、同检查、同考核' && grep -A6 '\"found\":	\"同部署、同落实、同考核\"' '$tmp/s4.json' | grep -q '同检查'"
start=$(num_after "$tmp/s4.json" '"found":	"同部署、同落实、同考核"' start)
end=$(num_after "$tmp/s4.json" '"found":	"同部署、同落实、同考核"' end)
check "broken offsets slice the original" test "$(slice "$seed4" "$start" "$end")" = "同部署、同落实、同考核"
check "altered 重大事情亲自处置 found" grep -q '"found":	"重大事情亲自处置"' "$tmp/s4.json"
# the same through UTF-16 with a BOM: offsets into those bytes
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed4"; } > "$tmp/s4-16.txt"
check "UTF-16 seed" test "$(status_of "$bin" "$tmp/s4-16.txt")" = 0
start=$(num_after "$tmp/out" '"found":	"同部署、同落实、同考核"' start)
end=$(num_after "$tmp/out" '"found":	"同部署、同落实、同考核"' end)
check "UTF-16 offsets slice the original bytes" \
  test "$(slice "$tmp/s4-16.txt" "$start" "$end" | iconv -f UTF-16LE -t UTF-8)" = "同部署、同落实、同考核"

# every match's offsets (--matches) slice the original to what was found
check "--matches" test "$(status_of "$bin" --matches "$seed3")" = 0
grep -A3 '"found":' "$tmp/out" | paste - - - - - | sed -n 's/.*"found":	"\([^"]*\)".*"start":	\([0-9]*\).*"end":	\([0-9]*\).*/\1 \2 \3/p' > "$tmp/m.txt"
bad=0
while read -r found s e; do
  got=$(slice "$seed3" "$s" "$e" | tr -d '、，“” ')
  want=$(printf '%s' "$found" | tr -d '、，“” ')
  [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "  $found at $s-$e: $got" >&2; }
done < "$tmp/m.txt"
check "--matches lists the matches" test "$(wc -l < "$tmp/m.txt")" -gt 90
check "every match slices the original bytes" test "$bad" = 0
# ... and its line and column (1-based, in characters) are where its start
# offset stands
grep -A5 '"found":' "$tmp/out" | paste - - - - - - - | sed -n 's/.*"start":	\([0-9]*\).*"line":	\([0-9]*\).*"column":	\([0-9]*\).*/\1 \2 \3/p' > "$tmp/lc.txt"
bad=0
while read -r s line column; do
  before=$(head -c "$s" "$seed3"; printf x)
  before=${before%x}
  want_line=$(($(printf '%s' "$before" | wc -l) + 1))
  want_column=$(($(printf '%s' "${before##*$'\n'}" | LC_ALL=C.UTF-8 wc -m) + 1))
  [ "$line $column" = "$want_line $want_column" ] ||
    { bad=$((bad + 1)); echo "  at $s: line $line column $column, not $want_line $want_column" >&2; }
done < "$tmp/lc.txt"
check "every match has a line and column" test "$(wc -l < "$tmp/lc.txt")" = "$(wc -l < "$tmp/m.txt")"
check "every match's line and column stand at its start" test "$bad" = 0
# the same place whatever the line ends and the encoding: line 3, column 9
printf '%s\n' '关于意识形态工作的报告' '一、工作开展情况' '我们深入学习贯彻党的十九届四中全会精神。' > "$tmp/lc-lf.txt"
sed 's/$/\r/' "$tmp/lc-lf.txt" > "$tmp/lc-crlf.txt"
iconv -f UTF-8 -t GB18030 "$tmp/lc-crlf.txt" > "$tmp/lc-gb.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$tmp/lc-crlf.txt"; } > "$tmp/lc-16.txt"
for v in lf crlf gb 16; do
  check "line and column ($v)" test "$(status_of "$bin" --year 2024 "$tmp/lc-$v.txt")" = 0
  check "the plenum at line 3, column 9 ($v)" \
    grep -q '"term":	"党的十九届四中全会",[^}]*"line":	3,[[:space:]]*"column":	9,' <(tr -d '\n' < "$tmp/out")
done

# outdated: judged against the year
check "seed 003 (2022)" test "$(status_of "$bin" "$seed3")" = 0
check "year from the text" grep -q '"year":	2022' "$tmp/out"
check "党的十九大精神 not outdated in 2022" bash -c "! grep -A1 '\"outdated\":' '$tmp/out' | grep -q '党的十九大精神'"
check "习近平治国理政新理念新思想新战略 outdated in 2022" grep -q '"superseded_by":	"习近平新时代中国特色社会主义思想"' "$tmp/out"
check "--year 2023" test "$(status_of "$bin" --year 2023 "$seed3")" = 0
check "党的十九大精神 outdated in 2023, as a meeting" \
  grep -q '"term":	"党的十九大精神",[[:space:]]*"kind":	"meeting",[[:space:]]*"superseded_by":	"党的二十大精神",[[:space:]]*"since":	2022' <(tr -d '\n' < "$tmp/out")
check "superseded formulation: kind superseded" \
  grep -q '"term":	"习近平治国理政新理念新思想新战略",[[:space:]]*"kind":	"superseded",' <(tr -d '\n' < "$tmp/out")
check "an outdated record's keys in order" test "$(first_keys "$tmp/out" outdated)" = \
  "term kind superseded_by since start end line column paragraph section "

# generated names, ended campaigns, renamed institutions: a report of 2024
# cites a plenum of the 19th Congress as its guide, a campaign of 2019 as
# ongoing and the health commission by its pre-2018 name; it recalls an
# ended campaign as done.
printf '%s\n' '2024年工作情况报告' '一、工作开展情况' \
  '我们深入学习贯彻党的十九届四中全会精神，深入推进“不忘初心、牢记使命”主题教育，市卫生计生委积极配合。' \
  '开展了党史学习教育，学习贯彻党的二十届五中全会精神，编制十五五规划。' > "$tmp/dated.txt"
check "dated report" test "$(status_of "$bin" "$tmp/dated.txt")" = 0
cp "$tmp/out" "$tmp/dated.json"
flat=$(tr -d '\n' < "$tmp/dated.json")
check "the plenum is outdated as a meeting" \
  grep -q '"term":	"党的十九届四中全会",[[:space:]]*"kind":	"meeting",' <<< "$flat"
check "the old name is outdated as renamed, with the new name and its year" \
  grep -q '"term":	"卫生和计划生育委员会",[[:space:]]*"kind":	"renamed",[[:space:]]*"superseded_by":	"卫生健康委员会",[[:space:]]*"since":	2018,' <<< "$flat"
check "the ongoing campaign is stale, with its years" \
  grep -q '"stale":	\[{[[:space:]]*"term":	"不忘初心、牢记使命主题教育",[[:space:]]*"started":	2019,[[:space:]]*"ended":	2020,' <<< "$flat"
check "a stale record's keys in order" test "$(first_keys "$tmp/dated.json" stale)" = \
  "term started ended start end line column paragraph section "
check "the campaign recalled as done is not stale" \
  test "$(grep -c '"term":	"党史学习教育",[[:space:]]*"started"' <<< "$flat")" = 0
check "one stale in the totals" grep -q '^	"stale":	1,' "$tmp/dated.json"
start=$(num_after "$tmp/dated.json" '"term":	"卫生和计划生育委员会",$' start)
end=$(num_after "$tmp/dated.json" '"term":	"卫生和计划生育委员会",$' end)
check "the old name's offsets slice the original" test "$(slice "$tmp/dated.txt" "$start" "$end")" = "卫生计生委"
check "a generated plenum is counted as generated" \
  grep -q '"term":	"党的二十届五中全会",[^}]*"generated":	true,' <<< "$flat"
check "a generated five-year plan, with its years" \
  grep -q '"term":	"第十五个五年规划",[^}]*"generated":	true,[[:space:]]*"introduced":	2026,[[:space:]]*"ended":	2030' <<< "$flat"
check "--year 2017: no old name, no stale campaign, no outdated plenum" \
  test "$(status_of "$bin" --year 2017 "$tmp/dated.txt")" = 0
check "--year 2017: nothing dated" \
  grep -q '"outdated":	\[\],[[:space:]]*"stale":	\[\]' <(tr -d '\n' < "$tmp/out")
check "dated report as text" test "$(status_of "$bin" --format text "$tmp/dated.txt")" = 0
check "text: the meeting with its successor" \
  grep -q '^  outdated 党的十九届四中全会  (line 3, bytes [0-9]*-[0-9]*)  cited as the current guide; since 2022 the guide is 党的二十大精神$' "$tmp/out"
check "text: the old name with the new one" \
  grep -q '^  old name 卫生和计划生育委员会  (line 3, bytes [0-9]*-[0-9]*)  renamed 卫生健康委员会 in 2018$' "$tmp/out"
check "text: the stale campaign with its years" \
  grep -q '^  stale    不忘初心、牢记使命主题教育  (line 3, bytes [0-9]*-[0-9]*)  cited as ongoing, but the campaign ran 2019–2020$' "$tmp/out"
check "text: generated names marked" grep -q '  党的二十届五中全会 \*$' "$tmp/out"
check "text: the mark explained" grep -q '^\* a name recognised by pattern' "$tmp/out"
check "text: totals with stale" grep -q '; 0 broken, 2 outdated, 1 stale$' "$tmp/out"
check "text: the dictionary's generated names" grep -q '^Dictionary: 981 terms, 580 of them names recognised by pattern$' "$tmp/out"
printf '关于意识形态工作的报告\n落实一岗双责。\n' > "$tmp/undated.txt"
check "undated report as text" test "$(status_of "$bin" --format text "$tmp/undated.txt")" = 0
check "text: year unknown" grep -q '(year unknown, 18 characters)' "$tmp/out"
check "undated report as JSON" test "$(status_of "$bin" "$tmp/undated.txt")" = 0
check "undated report: year null" grep -q '^			"year":	null,' "$tmp/out"

# user terms, --no-default-terms, --by-section, text
printf '# my terms\n网格化管理\t制度机制\n哒哒素材库\t广告\n意识领域\t错字\n' > "$tmp/mine.tsv"
check "--terms adds terms" test "$(status_of "$bin" --terms "$tmp/mine.tsv" "$seed4")" = 0
check "a user term is counted" grep -q '"term":	"意识领域"' "$tmp/out"
check "--no-default-terms" test "$(status_of "$bin" --no-default-terms --terms "$tmp/mine.tsv" "$corpus")" = 0
check "only the user's terms" grep -q '"dictionary":	3,' "$tmp/out"
check "user terms in noise never count" bash -c "! grep -q '哒哒' '$tmp/out'"
check "--no-default-terms without --terms exits 2" test "$(status_of "$bin" --no-default-terms "$corpus")" = 2
check "--by-section" test "$(status_of "$bin" --by-section "$corpus")" = 0
check "by_section lists the five section types" \
  test "$(grep -c '"section":	"\(none\|work_done\|problems\|next_steps\|other\)",' "$tmp/out")" -ge 5
check "by_section names each type in Chinese" \
  grep -q '"section":	"problems",[[:space:]]*"name":	"存在的问题",' <(tr -d '\n' < "$tmp/out")
check "--by-section as text" test "$(status_of "$bin" --by-section --format text "$corpus")" = 0
check "text: sections named in Chinese" grep -q '^By section: 开头部分 [0-9]*; 工作开展情况 [0-9]*; 存在的问题 [0-9]*; 下一步工作打算 [0-9]*; 其他部分 0;$' "$tmp/out"
check "text: no type keys" bash -c "! grep -q 'work_done\|next_steps' '$tmp/out'"
check "--format text" test "$(status_of "$bin" --format text "$corpus")" = 0
check "text: the summary line" grep -q '^5 documents, ' "$tmp/out"
check "text: the broken formulation with its canonical form" \
  grep -q 'broken   同部署、同落实、同考核 .*should be: 同部署、同落实、同检查、同考核; missing 同检查' "$tmp/out"
check "text: a long term stays in the last column" \
  grep -q '^ *[0-9]* *[0-9]* *[0-9.]* *[0-9]*  提法口号      重要工作亲自部署、重要问题亲自过问、重大事件亲自处置$' "$tmp/out"
check "text: the year of a file" grep -q '004_c0ae98798d36dd3b.txt (year 2023, 2,959 characters)' "$tmp/out"

# --discover: candidates not in the dictionary, corpus-wide
check "--discover" test "$(status_of "$bin" --discover "$corpus")" = 0
keys=$(grep -o '^	"[a-z_]*":' "$tmp/out" | tr -d '\t":' | tr '\n' ' ')
check "--discover: discovered before files" test "$keys" = \
  "documents characters dictionary generated count nested density terms categories top_terms broken outdated stale discovered files errors "
sed -n '/^	"discovered":/,/^	"files":/p' "$tmp/out" > "$tmp/disc.json"
check "--discover: a parallel list" grep -q '"text":	"新情况、新问题、新特点",[[:space:]]*$' "$tmp/disc.json"
check "--discover: an n-gram with PMI and entropy" grep -q '"left_entropy":' "$tmp/disc.json"
check "--discover: no dictionary term" bash -c "! grep -q '\"text\":	\"一岗双责\"' '$tmp/disc.json'"

# bad inputs
{ printf '\177ELF\2\1\1'; head -c 2048 /dev/zero; } > "$tmp/binary.bin"
check "a bad file beside a good one exits 1" test "$(status_of "$bin" "$tmp/binary.bin" "$seed4")" = 1
check "the bad file is listed" grep -q 'binary.bin' "$tmp/out"
check "only a bad file exits 2" test "$(status_of "$bin" "$tmp/binary.bin")" = 2
check "stdin" bash -c "'$bin' < '$seed4' | grep -q '\"found\":	\"同部署、同落实、同考核\"'"

finish
