#!/bin/bash
# ctest e2e_report: gw-report's page in the system's headless Chromium,
# driven by playwright-core under `node --test` (tests/e2e/report.test.mjs).
#
#   run.sh BIN_DIR SOURCE_DIR OUT_DIR
#
# Needs Debian's chromium and fonts-wqy-microhei, node (nodejs), and
# playwright-core installed from the lockfile: `npm ci --prefix tests/e2e`.
# Exits 77 (ctest SKIP) only when chromium or node is missing; a missing
# playwright-core is a failure, so that the suite never passes silently.
# Screenshots and the printed PDF go to OUT_DIR.
set -u
bin=$1 src=$2 out=$3
node=${GW_NODE:-$(command -v node || command -v nodejs || true)}
chromium=${GW_CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$node" ]; then echo "SKIP: node not found (apt-get install nodejs)"; exit 77; fi
if [ -z "$chromium" ]; then echo "SKIP: chromium not found (apt-get install chromium fonts-wqy-microhei)"; exit 77; fi
if [ ! -f "$src/tests/e2e/node_modules/playwright-core/package.json" ]; then
  echo "FAIL: playwright-core is not installed: run 'npm ci --prefix tests/e2e' in the source tree"
  exit 1
fi
command -v pdffonts >/dev/null || { echo "FAIL: pdffonts not found (apt-get install poppler-utils)"; exit 1; }
rm -rf "$out" && mkdir -p "$out" || exit 1
cd "$src" || exit 1
set -e
# The seed reports, as a user runs it: gw-dups's JSON, then the page.
"$bin/gw-dups" corpus/ > "$out/corpus.json"
"$bin/gw-report" "$out/corpus.json" -o "$out/corpus.html"
"$bin/gw-report" "$out/corpus.json" --format json > "$out/corpus.data.json"
# Families and a base document (the fixture of the golden test).
"$bin/gw-report" tests/golden/report/batch_dups.json -o "$out/families.html"
"$bin/gw-report" tests/golden/report/batch_dups.json --format json > "$out/families.data.json"
# A draft checked by gw-gap against corpus/.
"$bin/gw-gap" corpus/004_c0ae98798d36dd3b.txt --corpus corpus/ > "$out/draft_gap.json"
"$bin/gw-report" "$out/draft_gap.json" -o "$out/draft.html"
"$bin/gw-report" "$out/draft_gap.json" --format json > "$out/draft.data.json"
# A draft of 2024 with every kind of finding gw-gap reports: sections
# missing and shorter than the references', broken, outdated and stale
# formulations.
"$bin/gw-gap" tests/golden/report/draft_2024.txt --corpus corpus/ > "$out/draft2024_gap.json"
"$bin/gw-report" "$out/draft2024_gap.json" -o "$out/draft2024.html"
"$bin/gw-report" "$out/draft2024_gap.json" --format json > "$out/draft2024.data.json"
# Three reports where x's passage copied from y holds a passage copied from z.
"$bin/gw-dups" tests/e2e/nested/ > "$out/nested.json"
"$bin/gw-report" "$out/nested.json" -o "$out/nested.html"
"$bin/gw-report" "$out/nested.json" --format json > "$out/nested.data.json"
# corpus/ with one report's original gone: the page has only the records.
sed 's#corpus/004_c0ae98798d36dd3b.txt#corpus/gone.txt#g' "$out/corpus.json" > "$out/gone.json"
"$bin/gw-report" "$out/gone.json" -o "$out/gone.html" 2> /dev/null || [ $? -eq 1 ]
"$bin/gw-report" "$out/gone.json" --format json > "$out/gone.data.json" 2> /dev/null || [ $? -eq 1 ]
# An archive of earlier reports built here, and four reports checked
# against it (gw-archive check's JSON): the units and years come from
# --meta, and 丁局's 2023 report copies its own 2022 report (the file
# batch/docs/乙局/2023.txt, filed as 丁局's).
b=tests/golden/report/batch
"$bin/gw-archive" init "$out/archive"
"$bin/gw-archive" add "$out/archive" --meta tests/golden/report/archive_meta.tsv $b/docs/乙局/2023.txt $b/docs/甲局/2023.txt
"$bin/gw-archive" check "$out/archive" --meta tests/golden/report/archive_meta.tsv --base $b/base/通知.txt \
  $b/docs/丁局/2023.txt $b/docs/丙局/2023.txt $b/docs/戊局/2023.txt $b/docs/己局/2023.txt > "$out/archive_check.json"
"$bin/gw-report" "$out/archive_check.json" -o "$out/archive.html"
"$bin/gw-report" "$out/archive_check.json" --format json > "$out/archive.data.json"
# Two batches for the open time (100 and 2,000 reports made from corpus/).
"$node" tests/e2e/make_batch.mjs "$out/batch100" 100
"$node" tests/e2e/make_batch.mjs "$out/batch2000" 2000
for n in 100 2000; do
  (cd "$out/batch$n" && "$bin/gw-dups" docs/ > dups.json && "$bin/gw-report" dups.json -o report.html)
done
set +e
GW_CHROMIUM=$chromium GW_E2E_OUT=$out "$node" --test --test-reporter=spec tests/e2e/report.test.mjs
