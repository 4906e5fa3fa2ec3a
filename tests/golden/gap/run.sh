#!/bin/bash
# ctest golden_gap: gw-gap's JSON for corpus/004 against corpus/ (broken
# formulations, a heading that holds two sections, terms its year left
# behind) and for no_problems.txt (corpus/000 with its 存在的问题 section
# deleted: the structure gap), compared structurally with the expected
# files here (json_compare: every key in its order, every value); the same
# bytes on one thread and many.
#   run.sh BIN_DIR JSON_COMPARE SOURCE_DIR WORK_DIR
# GW_GOLDEN_UPDATE=1 rewrites the expected files from this build: read the
# diff before committing it, and say in the commit why each value moved.
set -u
bin=$1 compare=$2 src=$3 work=$4
here=$src/tests/golden/gap
. "$src/tests/golden/terms/golden.sh"

golden draft "$bin/gw-gap" corpus/004_c0ae98798d36dd3b.txt --corpus corpus/
golden no_problems "$bin/gw-gap" tests/golden/gap/no_problems.txt --corpus corpus/
"$bin/gw-gap" corpus/004_c0ae98798d36dd3b.txt --corpus corpus/ --threads 1 > "$work/draft.1.json"
cmp -s "$work/draft.json" "$work/draft.1.json" || fail "draft: one thread gives other bytes"

[ $fails -eq 0 ] && echo "golden_gap: all passed"
exit $((fails > 0))
