#!/usr/bin/env bash
# CLI tests of documents in other formats: gw-extract, and a folder of mixed
# formats read by gw-stats and gw-dups (formats detected by content, the
# unreadable file listed with its reason, every other file analysed).
# usage: test_gw_extract.sh BIN_DIR FIXTURES_DIR
set -u
bin=$1
fixtures=$2
. "$(dirname "$0")/harness.sh"

check "--help exits 0" test "$(status_of "$bin/gw-extract" --help)" = 0
check "--help names the formats" grep -q 'docx, .doc and .wps' "$tmp/out"
check "--version" test "$(status_of "$bin/gw-extract" --version)" = 0
check "--version names the program" grep -q '^gw-extract (gongwen) [0-9]' "$tmp/out"
check "bad --format exits 2" test "$(status_of "$bin/gw-extract" --format xml "$fixtures/report.docx")" = 2

# The .docx gives its twin's text, whatever its name.
cp "$fixtures/report.docx" "$tmp/renamed.txt"
check "a .docx named .txt is read" test "$(status_of "$bin/gw-extract" "$tmp/renamed.txt")" = 0
check "its text is the twin's" cmp -s "$tmp/out" "$fixtures/report.txt"

# A folder of mixed formats.
mkdir -p "$tmp/reports/sub"
cp "$fixtures/report.docx" "$tmp/reports/a.docx"
cp "$fixtures/report.doc" "$tmp/reports/b.wps"
cp "$fixtures/report.pdf" "$tmp/reports/c.pdf"
cp "$fixtures/report.ofd" "$tmp/reports/sub/d.ofd"
cp "$fixtures/report.html" "$tmp/reports/e.htm"
cp "$fixtures/report.txt" "$tmp/reports/f.txt"
printf '\211PNG\r\n\032\n\0\0\0\rIHDR' > "$tmp/reports/photo.png"
printf '# notes\n' > "$tmp/reports/README.md"
check "mixed folder exits 1 (one file skipped)" \
  test "$(status_of "$bin/gw-extract" --format json "$tmp/reports")" = 1
for f in a.docx b.wps c.pdf sub/d.ofd e.htm f.txt; do
  check "$f is read" grep -q "\"path\":.*reports/$f\"" "$tmp/out"
done
check "formats come from content" \
  test "$(grep -o '"format":[^,]*' "$tmp/out" | tr -d '\t "' | tr '\n' ' ')" = \
  "format:docx format:doc format:pdf format:html format:text format:ofd "
check "the image is listed as skipped with its reason" \
  grep -q 'photo.png: skipped: a PNG image' "$tmp/out"
check "the skip is reported on stderr" grep -q 'gw-extract: error: .*photo.png: skipped' "$tmp/err"
check "a plain-text file not named .txt is left alone" test -z "$(grep README "$tmp/out" "$tmp/err")"

check "gw-stats reads the folder" test "$(status_of "$bin/gw-stats" --format json "$tmp/reports")" = 1
check "gw-stats analysed six documents" grep -q '"documents":[[:space:]]*6,' "$tmp/out"
check "gw-stats lists the skipped image" grep -q 'photo.png: skipped' "$tmp/out"

# Bad files: each named with its reason, the others still analysed.
cp "$fixtures/scan.pdf" "$tmp/scan.pdf"
cp "$fixtures/report-locked.pdf" "$tmp/locked.pdf"
head -c 2000 "$fixtures/report.docx" > "$tmp/cut.docx"
: > "$tmp/empty.pdf"
check "bad files beside a good one exit 1" \
  test "$(status_of "$bin/gw-stats" --format json "$tmp/scan.pdf" "$tmp/locked.pdf" "$tmp/cut.docx" "$tmp/empty.pdf" "$fixtures/report.docx")" = 1
check "scan needs OCR" grep -q 'scan.pdf: a PDF with no text layer.*needs OCR' "$tmp/err"
check "locked PDF" grep -q 'locked.pdf: password-protected PDF' "$tmp/err"
check "truncated docx" grep -q 'cut.docx: damaged ZIP container' "$tmp/err"
check "empty pdf" grep -q 'empty.pdf: empty file (0 bytes), not a PDF' "$tmp/err"
check "the good one is analysed" grep -q '"documents":[[:space:]]*1,' "$tmp/out"

# gw-dups: the .docx and its PDF are the same report.
check "gw-dups on docx and pdf" \
  test "$(status_of "$bin/gw-dups" "$fixtures/report.docx" "$fixtures/report.pdf")" = 0
ratios=$(grep -o '"copy_ratio":[^,]*' "$tmp/out" | tr -d '\t "' | cut -d: -f2)
check "two copy ratios" test "$(echo "$ratios" | wc -l)" = 2
for r in $ratios; do
  check "copy ratio $r >= 0.99" awk -v r="$r" 'BEGIN { exit !(r >= 0.99) }'
done

finish
