#!/usr/bin/env bash
# CLI tests of gw-archive: init, add, check (self-copy year over year apart
# from another unit's, never a pair of archive documents alone), list,
# remove, merge, verify; metadata; errors (not an archive, a second writer,
# other parameters, damage, bad metadata); determinism.
# usage: test_gw_archive.sh BIN_DIR CORPUS_DIR
set -u
bindir=$(cd "$1" && pwd)
bin=$bindir/gw-archive
corpus=$(cd "$2" && pwd)
. "$(dirname "$0")/harness.sh"

cd "$tmp"
mkdir -p old/unitA old/unitB old/unitC new/unitA new/unitD
cp "$corpus/003_1973e543c9b997a8.txt" old/unitA/r2022.txt
cp "$corpus/000_c510bc378b158120.txt" old/unitB/r2022.txt
cp "$corpus/001_84632f9a43899128.txt" old/unitC/r2021.txt
# unitA hands in its own 2022 report again; unitD's report (seed 004) has
# one of unitA's paragraphs pasted in, so that paragraph is a family of
# three: archived unitA 2022, and unitA and unitD in the batch.
cp "$corpus/003_1973e543c9b997a8.txt" new/unitA/r2023.txt
{ cat "$corpus/004_c0ae98798d36dd3b.txt"
  grep -m1 '^一是强化组织领导' "$corpus/003_1973e543c9b997a8.txt"; } > new/unitD/r2023.txt
printf 'path\tunit\tyear\ttitle\tregion\nnew/unitA/r2023.txt\tunitA\t2023\tSelf-check\teast\nnew/unitD/r2023.txt\tunitD\t2023\t\twest\n' > meta.tsv

# --help, --version, usage errors
check "--help exits 0" test "$(status_of "$bin" --help)" = 0
check "--help prints usage" grep -q '^usage: gw-archive COMMAND ARCHIVE' "$tmp/out"
check "--help names every command" grep -q 'verify ARCHIVE' "$tmp/out"
check "--version" test "$(status_of "$bin" --version)" = 0
check "no command exits 2" test "$(status_of "$bin")" = 2
check "unknown command exits 2" test "$(status_of "$bin" frobnicate a)" = 2
check "unknown command is named" grep -q "unknown command 'frobnicate'" "$tmp/err"
check "a command without ARCHIVE exits 2" test "$(status_of "$bin" list)" = 2
check "an unknown option exits 2" test "$(status_of "$bin" list arc --nope)" = 2
check "init --bands not dividing --minhash exits 2" test "$(status_of "$bin" init x --bands 7)" = 2
check "... and says why" grep -q 'bands must divide' "$tmp/err"
check "add to no archive exits 2" test "$(status_of "$bin" add nowhere old)" = 2
check "... and says it is not an archive" grep -q 'nowhere: not an archive' "$tmp/err"

# init, add, list
check "init exits 0" test "$(status_of "$bin" init arc)" = 0
check "init made a manifest" test -f arc/MANIFEST
check "init twice exits 2" test "$(status_of "$bin" init arc)" = 2
check "... and says the folder is not empty" grep -q 'not empty' "$tmp/err"
check "add exits 0" test "$(status_of "$bin" add arc old)" = 0
check "add reports what it added" grep -q 'added 3 documents (generation 2)' "$tmp/err"
check "list exits 0" test "$(status_of "$bin" list arc --documents --compact)" = 0
check "list counts the documents" grep -q '"documents":3,' "$tmp/out"
check "list names units by folder" grep -q '"unitA":{"2022":1}' "$tmp/out"
check "list lists the documents" grep -q '"path":"old/unitB/r2022.txt","unit":"unitB","year":2022' "$tmp/out"
check "adding a document again exits 1" test "$(status_of "$bin" add arc old/unitA)" = 1
check "... naming it" grep -q 'old/unitA/r2022.txt: already in the archive' "$tmp/err"
check "add from stdin exits 2" test "$(status_of "$bin" add arc - < old/unitA/r2022.txt)" = 2
check "... saying why" grep -q 'give files, not stdin' "$tmp/err"
check "verify exits 0" test "$(status_of "$bin" verify arc)" = 0
check "verify says ok" grep -q '^arc: ok: generation 2, 1 segments, 3 documents$' "$tmp/out"

# check
check "check exits 0" test "$(status_of "$bin" check arc --meta meta.tsv --format jsonl --no-text new)" = 0
cp "$tmp/out" check1.jsonl
check "check prints a document record per batch report" test "$(grep -c '"record":"document"' check1.jsonl)" = 2
check "the unit's own earlier report is a self source" \
  grep -q '"path":"new/unitA/r2023.txt","unit":"unitA","year":2023,.*"self_sources":\[{"path":"old/unitA/r2022.txt","unit":"unitA","year":2022,"from":"archive","relation":"self_earlier"' check1.jsonl
check "another unit's report is a source apart" \
  grep -q '"path":"new/unitD/r2023.txt".*"sources":\[{"path":"[a-z]*/unitA/r20[0-9]*.txt","unit":"unitA",.*"relation":"other_unit"' check1.jsonl
check "a pair with the archive names its from" grep -q '"record":"pair","a":{"path":"old/unitA/r2022.txt","unit":"unitA","year":2022,"from":"archive"},"b":{"path":"new/unitA/r2023.txt"' check1.jsonl
check "never a pair of archive documents alone" \
  test "$(grep '"record":"pair"' check1.jsonl | grep -c '"a":{[^}]*"from":"archive"},"b":{[^}]*"from":"archive"}')" = 0
check "the archive record counts candidates" grep -q '"record":"archive","path":"arc","generation":2,"documents":3,"candidates":' check1.jsonl
check "check is deterministic" sh -c "'$bin' check arc --meta meta.tsv --format jsonl --no-text new | cmp -s - check1.jsonl"
check "check --threads 1 gives the same" sh -c "'$bin' check arc --meta meta.tsv --format jsonl --no-text --threads 1 new | cmp -s - check1.jsonl"
check "check as one JSON object exits 0" test "$(status_of "$bin" check arc --meta meta.tsv new)" = 0
check "... with the passage text" grep -q '"text":' "$tmp/out"
check "check adds nothing" sh -c "'$bin' list arc --compact | grep -q '\"generation\":2,'"

check "check --format text exits 0" test "$(COLUMNS=100 status_of "$bin" check arc --meta meta.tsv --format text new)" = 0
check "... counts the batch and the archive" grep -q '^2 reports, .* checked against an archive of 3 (generation 2; ' "$tmp/out"
check "... ranks the batch reports" grep -q '^  [0-9.]*%  new/unitA/r2023.txt  main source old/unitA/r2022.txt' "$tmp/out"
check "... lists the self-copy year over year" \
  grep -q '^  [0-9.]*%  new/unitA/r2023.txt (unitA 2023, batch) from old/unitA/r2022.txt (unitA 2022, archive)$' "$tmp/out"
check "... a pair with the batch and its relation" grep -q 'similarity [0-9.]*%, .*, self_earlier$' "$tmp/out"
check "... quotes the passage" grep -q '^      “' "$tmp/out"
check "... after the lines it starts on in both reports" grep -q '^      line [0-9]* ~ line [0-9]*$' "$tmp/out"
check "... a family member with its line" grep -q '^      new/unitA/r2023.txt (unitA 2023, batch) line [0-9]*$' "$tmp/out"
check "... never an archive-only pair" test "$(grep -c '(unit[A-D] [0-9]*, archive) ~ [^ ]* (unit[A-D] [0-9]*, archive)' "$tmp/out")" = 0
check "--compact with --format text exits 2" test "$(status_of "$bin" check arc --format text --compact new)" = 2

check "check --base exits 0" test "$(status_of "$bin" check arc --compact --no-text --base old/unitA/r2022.txt new/unitA)" = 0
check "... the base document is named as one" grep -q '"base_sources":\[{"path":"old/unitA/r2022.txt","unit":"unitA","year":2022,"from":"base"' "$tmp/out"

# list: units in the order they first appear (segments in order, each by
# path), each with its years in the order they first appear
mkdir -p u/z u/m
for f in u/z/r1.txt u/z/r2.txt u/m/x.txt u/m/r3.txt u/top.txt; do
  printf '本单位认真落实意识形态工作责任制，%s。\n' "$f" > "$f"
done
printf 'path\tunit\tyear\ttitle\nz/r1.txt\tz\t2022\t\ntop.txt\t\t2021\t\nz/r2.txt\tz\t2019\t\nm/r3.txt\tz\t2020\t\n' > u/meta.tsv
"$bin" init arcu > /dev/null 2>&1
(cd u && "$bin" add ../arcu --meta meta.tsv z/r1.txt m/x.txt top.txt && "$bin" add ../arcu --meta meta.tsv z/r2.txt m/r3.txt) > /dev/null 2>&1
check "list: units and years in order of first appearance" \
  sh -c "'$bin' list arcu --compact | grep -q '\"units\":{\"m\":{\"unknown\":1},\"(unknown)\":{\"2021\":1},\"z\":{\"2022\":1,\"2020\":1,\"2019\":1}}}\$'"
check "list --documents: each live document" \
  sh -c "'$bin' list arcu --compact --documents | grep -q '\"document_list\":\[{\"path\":\"m/x.txt\",\"unit\":\"m\",\"year\":null,\"title\":\"\",\"segment\":\"seg-00000001.gws\",\"characters\":[0-9]*,\"bytes\":[0-9]*},{\"path\":\"top.txt\",\"unit\":\"\"'"

# line and column beside every offset, for archived reports too (read from
# the archive, not from the file): the same as gw-dups gives for the same
# files, also for an archived report in GB18030 (columns in characters)
passages() { grep -o '"kind":"[a-z]*","a":{[^}]*},"b":{[^}]*}' "$1" | sort; }
"$bindir/gw-dups" --compact --no-text old new/unitD > dups.json
"$bin" check arc --compact --no-text new/unitD > check.json
check "a passage has its line and column on both sides" \
  grep -q '"a":{"start":[0-9]*,"end":[0-9]*,"line":[0-9]*,"column":[0-9]*},"b":{"start":[0-9]*,"end":[0-9]*,"line":[0-9]*,"column":[0-9]*}' check.json
passages dups.json > dups.passages
passages check.json > check.passages
check "... each as gw-dups gives it over the same files" \
  sh -c "test -s check.passages && test -z \"\$(comm -23 check.passages dups.passages)\""
check "an archived family member has its line and column" \
  grep -q '"from":"archive","paragraph":[0-9]*,"start":[0-9]*,"end":[0-9]*,"line":[0-9]*,"column":[0-9]*,"characters"' check1.jsonl
mkdir -p gb/unitG
iconv -f utf-8 -t gb18030 old/unitA/r2022.txt > gb/unitG/r2022.txt
"$bin" init arcg > /dev/null 2>&1
"$bin" add arcg gb > /dev/null 2>&1
"$bindir/gw-dups" --compact --no-text gb/unitG/r2022.txt new/unitD/r2023.txt > dups-gb.json
"$bin" check arcg --compact --no-text new/unitD > check-gb.json
passages dups-gb.json > dups-gb.passages
passages check-gb.json > check-gb.passages
check "a GB18030 archived report: columns in characters, as gw-dups's" \
  sh -c "cmp -s dups-gb.passages check-gb.passages && grep -q '\"column\":111' check-gb.passages && ! cmp -s dups.passages dups-gb.passages"

# an archived report's text damaged (section 2 of the segment, TEXT): check
# needs it for lines and columns and says so, printing nothing
cp -r arcg arcd
text_at=$(od -An -tu8 -j 80 -N8 arcd/seg-00000001.gws | tr -d ' ')
printf 'X' | dd of=arcd/seg-00000001.gws bs=1 seek=$((text_at + 100)) conv=notrunc 2> /dev/null
check "check with a damaged archived text exits 2" test "$(status_of "$bin" check arcd new/unitD)" = 2
check "... naming the report" grep -q 'damaged: the text of gb/unitG/r2022.txt does not match its checksum' "$tmp/err"
check "... printing nothing" test ! -s "$tmp/out"

# metadata errors
printf 'new/unitA/r2023.txt\tunitA\t20x3\n' > bad.tsv
check "a bad year in --meta exits 2" test "$(status_of "$bin" check arc --meta bad.tsv new)" = 2
check "... naming the file and line" grep -q 'bad.tsv:1: the year' "$tmp/err"

# one writer at a time
check "a second writer exits 2" test "$(status_of flock arc/LOCK "$bin" add arc new)" = 2
check "... saying another writer is at work" grep -q 'another writer is changing the archive' "$tmp/err"
check "a reader does not wait for the writer" test "$(status_of flock arc/LOCK "$bin" verify arc)" = 0

# other parameters
mkdir data
cp "$bindir/../share/gongwen/"* data/
echo '# a changed dictionary' >> data/terms.tsv
check "other terms are refused" test "$(GONGWEN_DATA_DIR=$tmp/data status_of "$bin" check arc new)" = 2
check "... naming the difference" grep -q 'terms dictionary checksum' "$tmp/err"

# remove, merge: check's results stay
check "add a second segment" test "$(status_of "$bin" add arc --meta meta.tsv new/unitD)" = 0
check "remove of a path absent exits 2" test "$(status_of "$bin" remove arc no/such.txt)" = 2
check "... naming it" grep -q 'no/such.txt: not in the archive' "$tmp/err"
check "remove --unit exits 0" test "$(status_of "$bin" remove arc --unit unitB)" = 0
check "remove reports it" grep -q 'removed 1 documents' "$tmp/err"
"$bin" check arc --meta meta.tsv --format jsonl --no-text new/unitA > before.jsonl
check "merge exits 0" test "$(status_of "$bin" merge arc)" = 0
check "merge leaves one segment" test "$(ls arc | grep -c '^seg-')" = 1
check "verify after merge" test "$(status_of "$bin" verify arc)" = 0
check "... 3 documents" grep -q '1 segments, 3 documents' "$tmp/out"
"$bin" check arc --meta meta.tsv --format jsonl --no-text new/unitA > after.jsonl
check "merge changes no result but the generation" \
  sh -c "sed 's/\"generation\":[0-9]*//' before.jsonl > b; sed 's/\"generation\":[0-9]*//' after.jsonl > a; cmp -s a b"
check "the removed unit is no candidate" test "$(grep -c 'unitB' after.jsonl)" = 0

# the same inputs give the same bytes
"$bin" init arc2 > /dev/null 2>&1
"$bin" add arc2 old/unitC old/unitA old/unitB > /dev/null 2>&1
"$bin" init arc3 > /dev/null 2>&1
"$bin" add arc3 old > /dev/null 2>&1
check "same inputs, same manifest" cmp -s arc2/MANIFEST arc3/MANIFEST
check "same inputs, same segment" cmp -s arc2/seg-00000001.gws arc3/seg-00000001.gws

# a segment built elsewhere, imported: the same bytes as added here
"$bin" init part > /dev/null 2>&1
"$bin" add part new > /dev/null 2>&1
"$bin" add arc2 new > /dev/null 2>&1
check "import exits 0" test "$(status_of "$bin" import arc3 part)" = 0
check "import reports it" grep -q 'imported 2 documents (generation 3)' "$tmp/err"
check "an imported segment is the segment adding would write" cmp -s arc2/seg-00000002.gws arc3/seg-00000002.gws
check "importing the same documents again exits 2" test "$(status_of "$bin" import arc3 part)" = 2
check "... naming the path" grep -q 'new/unitA/r2023.txt is already in arc3' "$tmp/err"
"$bin" init --seed 7 other > /dev/null 2>&1
check "importing other parameters exits 2" test "$(status_of "$bin" import arc3 other)" = 2
check "... naming the difference" grep -q 'seed' "$tmp/err"

# damage is reported by name
printf 'x' | dd of=arc3/seg-00000001.gws bs=1 seek=3000 conv=notrunc 2> /dev/null
check "verify of a damaged archive exits 1" test "$(status_of "$bin" verify arc3)" = 1
check "... naming the file" grep -q 'seg-00000001.gws: damaged' "$tmp/err"
truncate -s 100 arc3/seg-00000001.gws
check "a truncated segment is refused" test "$(status_of "$bin" list arc3)" = 2
check "... naming it" grep -q 'arc3/seg-00000001.gws: truncated' "$tmp/err"

finish
