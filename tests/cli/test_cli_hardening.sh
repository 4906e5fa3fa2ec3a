#!/usr/bin/env bash
# What every tool (but gw-dups, tested with its own) owes whatever it is
# given: valid JSON for file names and bytes that are not UTF-8 (checked with
# python3's strict parser, not cJSON's), whole error messages, names escaped
# on stderr, write failures called write failures, errors in path order.
# usage: test_cli_hardening.sh BIN_DIR CORPUS_DIR
set -u
bin=$1
corpus=$2
. "$(dirname "$0")/harness.sh"
strict="$(dirname "$0")/strict_json.py"
python=$(command -v python3)
json_ok() { "$python" "$strict" "$@"; } # json|jsonl FILE [KEY_PATH HEX]

s000="$corpus/000_c510bc378b158120.txt"

# A GBK name from a Windows archive: 中 is D6 D0.
names="$tmp/names"
mkdir "$names"
gbk="$names/$(printf 'gbk\xd6\xd0.txt')"
cp "$s000" "$gbk"
gbk_hex=$(printf '%s' "$gbk" | od -An -tx1 | tr -d ' \n')
check "gw-seg jsonl: valid JSON" test "$(status_of "$bin/gw-seg" --format jsonl "$names")" = 0
check "gw-seg jsonl: the name escaped reversibly" json_ok jsonl "$tmp/out" path "$gbk_hex"
check "gw-seg jsonl: U+FFFD for each byte, and the bytes in hex" grep -q '"path":"[^"]*gbk��.txt","path_bytes":"[0-9a-f]*67626bd6d02e747874",' "$tmp/out"
check "gw-seg --stats" test "$(status_of "$bin/gw-seg" --stats "$names")" = 0
check "gw-seg --stats: the name escaped reversibly" json_ok json "$tmp/out" files.0.path "$gbk_hex"
check "gw-terms" test "$(status_of "$bin/gw-terms" "$names")" = 0
check "gw-terms: the name escaped reversibly" json_ok json "$tmp/out" files.0.path "$gbk_hex"
check "gw-terms text names it" bash -c "'$bin/gw-terms' --format text '$names' | grep -q 'gbk\\\\xD6\\\\xD0.txt (year'"
check "gw-gap, the draft so named" test "$(status_of "$bin/gw-gap" "$gbk" --corpus "$corpus")" = 0
check "gw-gap: the draft escaped reversibly" json_ok json "$tmp/out" draft "$gbk_hex"
check "gw-gap, a reference so named" test "$(status_of "$bin/gw-gap" "$corpus/004_c0ae98798d36dd3b.txt" --corpus "$names")" = 0
check "gw-gap: the example's path escaped reversibly" json_ok json "$tmp/out" missing.0.example.path "$gbk_hex"
check "gw-stats json" test "$(status_of "$bin/gw-stats" --format json "$names")" = 0
check "gw-stats: the name escaped reversibly" json_ok json "$tmp/out" files.0.path "$gbk_hex"
check "gw-stats --compact" test "$(status_of "$bin/gw-stats" --compact "$names" "$corpus")" = 0
check "gw-stats --compact: valid" json_ok json "$tmp/out"
cp "$s000" "$names/plain.txt"
check "gw-dups json" test "$(status_of "$bin/gw-dups" "$names")" = 0
check "gw-dups: the name escaped reversibly" json_ok json "$tmp/out" documents.0.path "$gbk_hex"
check "gw-dups: in a pair too" json_ok json "$tmp/out" pairs.0.a "$gbk_hex"
check "gw-dups jsonl" test "$(status_of "$bin/gw-dups" --format jsonl "$names")" = 0
check "gw-dups jsonl: valid JSON Lines" json_ok jsonl "$tmp/out"
check "gw-dups text names it" bash -c "'$bin/gw-dups' --format text '$names' | grep -q 'gbk\\\\xD6\\\\xD0.txt'"
rm "$names/plain.txt"

# Bad bytes in a file so named: the error lists the name in JSON and stderr.
bad="$names/$(printf 'bad\xff\033[31m.txt')"
printf '加强意识形态工作\xff\n' > "$bad"
check "invalid UTF-8 exits 1" test "$(status_of "$bin/gw-terms" "$names")" = 1
check "gw-terms: the error's path and message are valid JSON" json_ok json "$tmp/out" errors.0.path "$(printf '%s' "$bad" | od -An -tx1 | tr -d ' \n')"
check "stderr: the name's control characters escaped" grep -q 'bad\\xFF\\x1B\[31m.txt:24: invalid UTF-8' "$tmp/err"
check "stderr: no escape character reaches the terminal" bash -c "! grep -q \$'\\033' '$tmp/err'"
check "gw-seg: exit 1" test "$(status_of "$bin/gw-seg" --stats "$bad" "$s000")" = 1
check "gw-stats: exit 1" test "$(status_of "$bin/gw-stats" --format json "$bad" "$s000")" = 1
check "gw-seg --stats with the bad file: valid JSON" bash -c "'$bin/gw-seg' --stats '$names' > '$tmp/seg.json' 2>/dev/null; '$python' '$strict' json '$tmp/seg.json'"
check "gw-stats json with the bad file: valid JSON" bash -c "'$bin/gw-stats' --format json '$names' > '$tmp/st.json' 2>/dev/null; '$python' '$strict' json '$tmp/st.json'"
check "gw-seg jsonl with the bad file: valid JSON Lines" bash -c "'$bin/gw-seg' --format jsonl '$names' > '$tmp/seg.jsonl' 2>/dev/null; '$python' '$strict' jsonl '$tmp/seg.jsonl'"
check "gw-gap with the bad file among the references: valid JSON" bash -c "'$bin/gw-gap' '$s000' --corpus '$names' > '$tmp/gap.json' 2>/dev/null; '$python' '$strict' json '$tmp/gap.json'"
rm "$bad"

# --replace-invalid: removed noise holding a bad byte is shown with U+FFFD.
printf '第一段加强意识形态工作。\n哒哒素材库\xff广告\n第二段落实责任制。\n' > "$tmp/noisy.txt"
check "gw-seg --stats --replace-invalid" test "$(status_of "$bin/gw-seg" --stats --replace-invalid "$tmp/noisy.txt")" = 0
check "removed text: valid JSON" json_ok json "$tmp/out"
check "removed text: U+FFFD for the bad byte" grep -q '"text":	"哒哒素材库�广告"' "$tmp/out"

# A path longer than the library's 512-byte message: the reason stays whole
# and nothing is cut inside a character.
deep="$tmp/$(printf '意识形态工作责任制%.0s' $(seq 1 8))"
deep="$deep/$(printf '全面从严治党主体责任%.0s' $(seq 1 8))"
mkdir -p "$deep"
printf '加强\xff\n' > "$deep/long.txt"
check "long path: exit 1" test "$(status_of "$bin/gw-terms" "$deep/long.txt" "$s000")" = 1
check "long path: valid JSON" json_ok json "$tmp/out"
check "long path: the whole path and the reason" grep -q "\"error\":	\"$deep/long.txt:6: invalid UTF-8 sequence (--replace-invalid reads it with U+FFFD for the bad bytes)\"" "$tmp/out"
check "long path: stderr whole too" grep -q "$deep/long.txt:6: invalid UTF-8 sequence (--replace-invalid" "$tmp/err"

# Errors that say what to try.
printf 'hello world\nline two\n' | iconv -f utf-8 -t utf-16le > "$tmp/utf16.txt"
check "UTF-16 without BOM exits 2" test "$(status_of "$bin/gw-seg" "$tmp/utf16.txt")" = 2
check "UTF-16 without BOM: try --encoding" grep -q 'try --encoding utf-16le or utf-16be)$' "$tmp/err"
check "with --encoding utf-16le it is read" test "$(status_of "$bin/gw-seg" --encoding utf-16le "$tmp/utf16.txt")" = 0
check "invalid UTF-8 mentions --replace-invalid" bash -c "'$bin/gw-stats' '$deep/long.txt' 2>&1 >/dev/null | grep -q 'replace-invalid reads it'"
check "no hint with --replace-invalid given" bash -c "'$bin/gw-seg' --replace-invalid '$deep/long.txt' 2>&1 >/dev/null | (! grep -q 'replace-invalid')"

# Write failures are write failures, not "out of memory".
for args in "gw-seg --stats" "gw-seg --format jsonl" "gw-seg" "gw-terms" "gw-terms --format text" \
  "gw-terms --matches" "gw-stats" "gw-stats --format json" "gw-extract" "gw-extract --format json"; do
  set -- $args
  tool=$1
  shift
  check "$args >/dev/full exits 2" test "$("$bin/$tool" "$@" "$corpus" > /dev/full 2> "$tmp/err"; echo $?)" = 2
  check "$args >/dev/full says so" grep -q 'writing output failed' "$tmp/err"
  check "$args >/dev/full: not out of memory" bash -c "! grep -q 'out of memory' '$tmp/err'"
done
for format in json text; do
  check "gw-gap --format $format >/dev/full exits 2" test "$("$bin/gw-gap" --format $format "$s000" --corpus "$corpus" > /dev/full 2> "$tmp/err"; echo $?)" = 2
  check "gw-gap --format $format >/dev/full says so" grep -q 'writing output failed' "$tmp/err"
done
# A reader that went away (a closed pipe, SIGPIPE ignored as a shell may
# leave it): the output is larger than a pipe holds, so the write fails.
mkdir -p "$tmp/many"
for i in $(seq 600); do
  printf '关于意识形态工作的报告\n落实一岗双责，意识形态工作责任制。\n' > "$tmp/many/$i.txt"
done
for args in "gw-seg --stats --compact" "gw-terms --matches" "gw-extract --format json"; do
  set -- $args
  tool=$1
  shift
  rm -f "$tmp/rc"
  bash -c 'trap "" PIPE; "$@" 2> "$0.err"; echo $? > "$0.rc"' "$tmp/pipe" "$bin/$tool" "$@" \
    "$tmp/many" | true
  check "$args into a closed pipe exits 2" test "$(cat "$tmp/pipe.rc")" = 2
  check "$args into a closed pipe says so" grep -q 'writing output failed: Broken pipe' "$tmp/pipe.err"
  check "$args into a closed pipe: not out of memory" bash -c "! grep -q 'out of memory' '$tmp/pipe.err'"
done
for tool in gw-seg gw-terms gw-gap gw-stats gw-extract; do
  for flag in --help --version; do
    check "$tool $flag >/dev/full exits 2" test "$("$bin/$tool" $flag > /dev/full 2> "$tmp/err"; echo $?)" = 2
    check "$tool $flag >/dev/full says so" grep -q 'writing output failed' "$tmp/err"
  done
done

# gw-gap checklists: errors on the right line, a term twice is one term,
# a checklist or draft that cannot be read says why.
printf '# checklist\n\n意识形态工作\n意识形态工作\n新术语甲\n\xff坏\n' > "$tmp/bad-checklist.txt"
check "checklist error exits 2" test "$(status_of "$bin/gw-gap" --checklist "$tmp/bad-checklist.txt" "$s000")" = 2
check "checklist error on its own line (6)" grep -q 'bad-checklist.txt:6: ' "$tmp/err"
printf '# checklist\n意识形态工作\n新术语甲\n新术语甲\n' > "$tmp/twice.txt"
check "a term twice is not fatal" test "$(status_of "$bin/gw-gap" --checklist "$tmp/twice.txt" "$s000")" = 0
check "a term twice is listed once" test "$(grep -c '"term":	"新术语甲"' "$tmp/out")" = 1
check "missing checklist exits 2" test "$(status_of "$bin/gw-gap" --checklist "$tmp/none.txt" "$s000")" = 2
check "missing checklist: the reason" grep -q 'none.txt: cannot read the checklist: No such file or directory' "$tmp/err"
check "missing draft exits 2" test "$(status_of "$bin/gw-gap" --checklist "$tmp/twice.txt" "$tmp/none.txt")" = 2
check "missing draft: the reason" grep -q 'none.txt: No such file or directory' "$tmp/err"
check "a folder as draft exits 2" test "$(status_of "$bin/gw-gap" --checklist "$tmp/twice.txt" "$corpus")" = 2
check "a folder as draft: the reason" grep -q 'cannot read the draft: it is a folder' "$tmp/err"

# Errors met while walking a folder come in path order, as the files do.
walkdir="$tmp/walk"
mkdir "$walkdir"
for name in m c x a q f z b; do ln -s "$tmp/nowhere/$name" "$walkdir/$name.txt"; done
cp "$s000" "$walkdir/k.txt"
check "dangling links: exit 1" test "$(status_of "$bin/gw-terms" "$walkdir")" = 1
check "errors in path order on stderr" test "$(grep -o 'walk/[a-z].txt' "$tmp/err" | tr -d '\n')" = "walk/a.txtwalk/b.txtwalk/c.txtwalk/f.txtwalk/m.txtwalk/q.txtwalk/x.txtwalk/z.txt"

# gw-seg --with-path: where each file starts.
"$bin/gw-seg" --with-path "$corpus" > "$tmp/with-path.txt"
check "--with-path: one line per file" test "$(grep -c '^==> .* <==$' "$tmp/with-path.txt")" = 5
check "--with-path: the first line names the first file" test "$(head -n 1 "$tmp/with-path.txt")" = "==> $s000 <=="
check "--with-path: otherwise the text output" cmp -s <(grep -v '^==> .* <==$' "$tmp/with-path.txt") <("$bin/gw-seg" "$corpus")

# --compact means one thing everywhere: the JSON on one line, the same JSON.
s000_=$s000
compact_same() { # tool and options
  "$bin/$1" --compact "${@:2}" > "$tmp/c1" && "$bin/$1" "${@:2}" > "$tmp/c2" &&
    [ "$(wc -l < "$tmp/c1")" = 1 ] &&
    "$python" -c 'import json,sys; sys.exit(json.load(open(sys.argv[1])) != json.load(open(sys.argv[2])))' "$tmp/c1" "$tmp/c2"
}
check "gw-terms --compact" compact_same gw-terms "$corpus"
check "gw-gap --compact" compact_same gw-gap "$s000_" --corpus "$corpus"
check "gw-seg --stats --compact" compact_same gw-seg --stats "$corpus"
check "gw-stats --compact" compact_same gw-stats --format json "$corpus"
check "gw-terms --compact with text is a usage error" test "$(status_of "$bin/gw-terms" --format text --compact "$corpus")" = 2
check "gw-seg --compact without --stats is a usage error" test "$(status_of "$bin/gw-seg" --compact "$corpus")" = 2

# An endless binary stdin is refused at its first megabyte, as a file is
# (before, /dev/zero was read up to 4 GiB); text over a megabyte still reads.
for tool in gw-seg gw-terms gw-dups; do
  check "$tool: stdin /dev/zero refused early" bash -c \
    "timeout 60 '$bin/$tool' - < /dev/zero > /dev/null 2> '$tmp/zero.err'; test \$? = 2 && grep -q 'not a text file' '$tmp/zero.err'"
done
for i in $(seq 30); do cat "$corpus"/*.txt; done > "$tmp/big.txt"
check "stdin over a megabyte is read whole" \
  test "$("$bin/gw-seg" - < "$tmp/big.txt" | wc -l)" = "$(wc -l < "$tmp/big.txt")"

finish
