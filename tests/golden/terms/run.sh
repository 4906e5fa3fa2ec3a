#!/bin/bash
# ctest golden_terms: gw-terms's JSON on corpus/ (with --by-section) and on
# dated.txt (a 2024 report citing an old plenum as its guide, an ended
# campaign as ongoing, an institution by its old name, generated names),
# compared structurally with the expected files here (json_compare: every
# key in its order, every value); the same bytes on one thread and many.
#   run.sh BIN_DIR JSON_COMPARE SOURCE_DIR WORK_DIR
# GW_GOLDEN_UPDATE=1 rewrites the expected files from this build: read the
# diff before committing it, and say in the commit why each value moved.
set -u
bin=$1 compare=$2 src=$3 work=$4
here=$src/tests/golden/terms
. "$src/tests/golden/terms/golden.sh"

golden corpus "$bin/gw-terms" --by-section corpus/
golden dated "$bin/gw-terms" tests/golden/terms/dated.txt
"$bin/gw-terms" --by-section --threads 1 corpus/ > "$work/corpus.1.json"
cmp -s "$work/corpus.json" "$work/corpus.1.json" || fail "corpus: one thread gives other bytes"

# The comparison itself fails where it must: a key gone, a value changed.
sed '0,/"kind":/{/"kind":/d}' "$here/dated.expected.json" > "$work/no-kind.json"
"$compare" "$here/dated.expected.json" "$work/no-kind.json" > "$work/no-kind.out" &&
  fail "json_compare: a vanished key goes unnoticed"
grep -q '^\$\.files\[0\]\.outdated\[0\]\.kind: expected member "kind"' "$work/no-kind.out" ||
  fail "json_compare: the vanished key is not named"
sed 's/"since":	2022/"since":	2021/' "$here/dated.expected.json" > "$work/since.json"
"$compare" "$here/dated.expected.json" "$work/since.json" > /dev/null && fail "json_compare: a changed year goes unnoticed"

[ $fails -eq 0 ] && echo "golden_terms: all passed"
exit $((fails > 0))
