#!/usr/bin/env bash
# CLI tests of gw-seg: exit codes, formats, encodings, bad inputs.
# usage: test_gw_seg.sh BIN_DIR CORPUS_DIR
set -u
bin=$1/gw-seg
corpus=$2
. "$(dirname "$0")/harness.sh"


# --help, --version, usage errors
check "--help exits 0 with usage on stdout" test "$(status_of "$bin" --help)" = 0
check "--help prints usage" grep -q '^usage: gw-seg' "$tmp/out"
check "--version" test "$(status_of "$bin" --version)" = 0
check "--version names the program" grep -q '^gw-seg (gongwen) [0-9]' "$tmp/out"
check "unknown option exits 2" test "$(status_of "$bin" --no-such-option)" = 2
check "unknown option is reported on stderr" grep -q 'gw-seg: error' "$tmp/err"
check "bad --format exits 2" test "$(status_of "$bin" --format xml "$corpus")" = 2
check "missing user dictionary exits 2" test "$(status_of "$bin" --dict "$tmp/none.txt" "$corpus")" = 2
check "missing user dictionary is named" grep -q 'none.txt' "$tmp/err"

# Text format: one output line per input line, every character kept, and a
# GB18030 twin made here with iconv gives exactly the same words.
cat "$corpus/000_c510bc378b158120.txt" "$corpus/002_1aded01d7d411218.txt" \
    "$corpus/003_1973e543c9b997a8.txt" "$corpus/004_c0ae98798d36dd3b.txt" > "$tmp/reports.utf8"
iconv -f UTF-8 -t GB18030 "$tmp/reports.utf8" > "$tmp/reports.gbk"
check "reports in UTF-8 segment" test "$(status_of "$bin" "$tmp/reports.utf8")" = 0
cp "$tmp/out" "$tmp/reports_seg.txt"
check "output has as many lines as the input" \
  test "$(wc -l < "$tmp/reports_seg.txt")" = "$(wc -l < "$tmp/reports.utf8")"
check "output keeps every character" \
  test "$(tr -d ' \n' < "$tmp/reports_seg.txt" | md5sum)" = "$(tr -d ' \n\r' < "$tmp/reports.utf8" | md5sum)"
check "the GB18030 twin segments" test "$(status_of "$bin" "$tmp/reports.gbk")" = 0
check "GB18030 file gives exactly the tokens of its UTF-8 twin" cmp -s "$tmp/out" "$tmp/reports_seg.txt"

# UTF-16 with BOM and CRLF give the same words as UTF-8
seed="$corpus/004_c0ae98798d36dd3b.txt"
"$bin" "$seed" > "$tmp/seed.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$seed"; } > "$tmp/utf16.txt"
check "UTF-16LE segments" test "$(status_of "$bin" "$tmp/utf16.txt")" = 0
check "UTF-16LE gives the tokens of UTF-8" cmp -s "$tmp/out" "$tmp/seed.txt"
sed 's/$/\r/' "$seed" > "$tmp/crlf.txt"
check "CRLF segments" test "$(status_of "$bin" "$tmp/crlf.txt")" = 0
check "CRLF gives the tokens of LF" cmp -s "$tmp/out" "$tmp/seed.txt"

# noise: the advertising lines of seed 001 come out empty, lines aligned
noisy="$corpus/001_84632f9a43899128.txt"
check "seed 001 segments" test "$(status_of "$bin" "$noisy")" = 0
check "seed 001 keeps its line count" test "$(wc -l < "$tmp/out")" = "$(wc -l < "$noisy")"
check "no advertising in the output" bash -c "! grep -q '哒哒' '$tmp/out'"
check "no scraping markers in the output" bash -c "! grep -q 'paid' '$tmp/out'"
ad_line=$(grep -n '哒哒' "$noisy" | head -n 1 | cut -d: -f1)
check "an advertising line comes out empty" test -z "$(sed -n "${ad_line}p" "$tmp/out")"

# folders, stdin, determinism
check "a folder is read" test "$(status_of "$bin" "$corpus")" = 0
cp "$tmp/out" "$tmp/folder.txt"
for f in $(ls "$corpus"/*.txt | LC_ALL=C sort); do "$bin" "$f"; done > "$tmp/each.txt"
check "a folder gives its files in path order" cmp -s "$tmp/folder.txt" "$tmp/each.txt"
check "stdin" bash -c "'$bin' < '$seed' | cmp -s - '$tmp/seed.txt'"
check "stdin as -" bash -c "'$bin' - < '$seed' | cmp -s - '$tmp/seed.txt'"

# bad inputs: the others are still analysed, exit 1
printf '' > "$tmp/empty.txt"
check "empty file exits 0" test "$(status_of "$bin" "$tmp/empty.txt")" = 0
check "empty file prints nothing" test ! -s "$tmp/out"
check "missing file exits 1" test "$(status_of "$bin" "$tmp/missing.txt" "$seed")" = 1
check "missing file is named" grep -q 'missing.txt' "$tmp/err"
check "the other file is still analysed" cmp -s "$tmp/out" "$tmp/seed.txt"
{ printf '\177ELF\2\1\1'; head -c 2048 /dev/zero; } > "$tmp/binary.bin"
check "binary file alone exits 2 (nothing analysed)" test "$(status_of "$bin" "$tmp/binary.bin")" = 2
check "binary file beside a good one exits 1" test "$(status_of "$bin" "$tmp/binary.bin" "$seed")" = 1
check "binary file is refused as not text" grep -q 'not a text file' "$tmp/err"
printf '意识形态工作\n\xe4\xb8好\n' > "$tmp/invalid.txt"
check "invalid UTF-8 beside a good file exits 1" test "$(status_of "$bin" "$tmp/invalid.txt" "$seed")" = 1
check "invalid UTF-8 names file and offset" grep -q 'invalid.txt:19' "$tmp/err"
check "--replace-invalid analyses it" test "$(status_of "$bin" --replace-invalid "$tmp/invalid.txt")" = 0
check "--replace-invalid keeps the lines" test "$(wc -l < "$tmp/out")" = 2
mkdir -p "$tmp/dir"
check "a folder with no files exits 2" test "$(status_of "$bin" "$tmp/dir")" = 2

# a 10 MB single line
yes '全面落实意识形态工作责任制，' | head -n 250000 | tr -d '\n' > "$tmp/long.txt"
check "10 MB single line" test "$(status_of "$bin" "$tmp/long.txt")" = 0
check "10 MB single line gives one line" test "$(wc -l < "$tmp/out")" = 1
check "10 MB single line keeps the term whole" \
  test "$(grep -o '意识形态工作责任制 ，' "$tmp/out" | wc -l)" -gt 1000

# jsonl and stats
check "jsonl" test "$(status_of "$bin" --format jsonl "$seed")" = 0
check "jsonl: one object per paragraph" test "$(grep -c '^{"path":' "$tmp/out")" -gt 10
check "jsonl: tokens with kinds and offsets" grep -q '"text":"意识形态工作责任制","kind":"word","start":[0-9]*,"end":[0-9]*' "$tmp/out"
# line and column: where a paragraph starts, in characters of its line
printf '标题\r\n甲乙，丙丁\r\n\r\n第三段文字。' > "$tmp/lines.txt"
check "jsonl with CRLF" test "$(status_of "$bin" --format jsonl "$tmp/lines.txt")" = 0
check "jsonl: line and column after the offsets" grep -q '"paragraph":2,"start":27,"end":[0-9]*,"line":4,"column":1,' "$tmp/out"
printf '\xbc\xd7\xd2\xd2\r\n\xb5\xda\xc8\xfd\xb6\xce\xce\xc4\xd7\xd6\xa1\xa3\n' > "$tmp/gbk.txt"
check "jsonl GB18030" test "$(status_of "$bin" --format jsonl "$tmp/gbk.txt")" = 0
check "jsonl GB18030: offsets in bytes, lines counted" grep -q '"start":6,"end":[0-9]*,"line":2,"column":1,' "$tmp/out"
check "stats" test "$(status_of "$bin" --stats "$corpus")" = 0
check "stats: five documents" grep -q '"documents":[[:space:]]*5,' "$tmp/out"
check "stats: noise removed" grep -q '"kind":[[:space:]]*"noise"' "$tmp/out"
check "stats: removed spans with line and column" grep -q '"start":[[:space:]]*2539,.*"line":[[:space:]]*6,.*"column":[[:space:]]*1,' <(tr -d '\n' < "$tmp/out")
cp "$tmp/out" "$tmp/stats1"
"$bin" --stats "$corpus" > "$tmp/stats2"
check "stats are byte-identical across runs" cmp -s "$tmp/stats1" "$tmp/stats2"
check "stats with a bad file exits 1" test "$(status_of "$bin" --stats "$corpus" "$tmp/binary.bin")" = 1
check "stats lists the bad file" grep -q 'binary.bin' "$tmp/out"

# user dictionary with a frequency
printf '工作责任 99999999\n' > "$tmp/user.txt"
check "--dict" test "$(status_of "$bin" --dict "$tmp/user.txt" "$tmp/empty.txt")" = 0
echo "落实意识形态工作责任" > "$tmp/one.txt"
check "--dict honours the user frequency" \
  bash -c "'$bin' --dict '$tmp/user.txt' '$tmp/one.txt' | grep -q '工作责任'"

finish
