#!/usr/bin/env bash
# Every allocation failing in turn, from the first one after start-up to
# the last (a shim, failing_malloc.so, preloaded: the Nth allocation and
# all after it fail): the tool says "out of memory" and exits 2, with
# nothing on stdout (its JSON or text is written whole or not at all), or
# it finishes with the output it gives unhindered.  gw-seg on one thread
# streams its documents, gw-dups its records: there stdout may hold the
# start of the whole output, in whole lines.
#
# usage: test_alloc_failures.sh BIN_DIR CORPUS_DIR SHIM SANITIZED
# Sanitizers replace malloc themselves: skipped there (exit 77).
set -u
bin=$1 corpus=$2 shim=$3
if [ "${4:-0}" = 1 ]; then
  echo "skipped: a sanitized build has its own allocator"
  exit 77
fi
. "$(dirname "$0")/harness.sh"

draft="$corpus/004_c0ae98798d36dd3b.txt"
tiny="$tmp/tiny.txt"
printf '一、工作开展情况\n研究部署意识形态工作，落实责任制。\n' > "$tiny"
POINTS=${GW_ALLOC_POINTS:-24}

# The arguments of a case for an input (a file or folder).
args_for() {
  case $1 in
  seg-text) echo "gw-seg --threads 1 $2" ;;
  seg-jsonl) echo "gw-seg --threads 1 --format jsonl $2" ;;
  seg-stats) echo "gw-seg --stats $2" ;;
  terms) echo "gw-terms --matches --by-section $2" ;;
  terms-text) echo "gw-terms --format text $2" ;;
  gap) echo "gw-gap $tiny --corpus $2" ;;
  gap-text) echo "gw-gap $draft --format text --corpus $2" ;;
  extract) echo "gw-extract --format json $2" ;;
  dups-jsonl) echo "gw-dups --threads 1 --format jsonl $2" ;;
  archive-check) echo "gw-archive check $tmp/arc --format jsonl $2" ;;
  archive-text) echo "gw-archive check $tmp/arc --format text $2" ;;
  esac
}

# Run a case with allocation N failing (0: none): stdout in $tmp/out,
# stderr in $tmp/err; prints the exit status.
run_failing() {
  local args
  args=$(args_for "$1" "$2")
  # shellcheck disable=SC2086
  GW_FAIL_ALLOC=$3 GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin"/$args > "$tmp/out" 2> "$tmp/err"
  echo $?
}

# An archive of two of the reports, for gw-archive's cases (made unhindered).
"$bin/gw-archive" init "$tmp/arc" > /dev/null 2>&1
"$bin/gw-archive" add "$tmp/arc" "$corpus"/000_*.txt "$corpus"/003_*.txt > /dev/null 2>&1

for case in seg-text seg-jsonl seg-stats terms terms-text gap gap-text extract dups-jsonl \
  archive-check archive-text; do
  # Allocations of start-up with the tiny input (before main, OpenCC's and
  # poppler's own start-up throws when it cannot allocate: out of reach)
  # and of the whole run.
  run_failing "$case" "$tiny" 0 > /dev/null
  first=$(cat "$tmp/count")
  check "$case: the whole run" test "$(run_failing "$case" "$corpus" 0)" = 0
  last=$(cat "$tmp/count")
  cp "$tmp/out" "$tmp/whole"
  stopped=0 bad=0
  for i in $(seq 0 $((POINTS - 1))); do
    n=$((first + (last - first) * i / POINTS))
    rc=$(run_failing "$case" "$corpus" "$n")
    problem=
    if [ "$rc" = 0 ]; then
      cmp -s "$tmp/out" "$tmp/whole" || problem="exit 0 with other output"
    elif [ "$rc" != 2 ]; then problem="exit $rc"
    elif ! grep -q 'out of memory\|Cannot allocate memory' "$tmp/err"; then problem="no reason: $(head -c 200 "$tmp/err")"
    elif grep -q 'terminate called\|Aborted' "$tmp/err"; then problem="an abort"
    elif [ "$case" = seg-text ] || [ "$case" = seg-jsonl ] || [ "$case" = dups-jsonl ]; then
      stopped=$((stopped + 1))
      if ! head -c "$(wc -c < "$tmp/out")" "$tmp/whole" | cmp -s - "$tmp/out"; then
        problem="output that is not the start of the whole"
      elif [ -s "$tmp/out" ] && [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
        problem="a line cut short"
      fi
    else
      stopped=$((stopped + 1))
      [ -s "$tmp/out" ] && problem="output on stdout ($(wc -c < "$tmp/out") bytes)"
    fi
    if [ -n "$problem" ]; then
      bad=$((bad + 1))
      echo "  $case, allocation $n failing: $problem" >&2
    fi
  done
  check "$case: every failure clean" test "$bad" = 0
  check "$case: some runs stopped" test "$stopped" -gt 0
done

finish
