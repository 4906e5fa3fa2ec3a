#!/usr/bin/env bash
# Allocations failing from the very first one of the process (a preloaded
# shim, failing_malloc.so: the Nth allocation and all after it fail), on a
# traditional-script input whose paragraphs go through the phrase
# conversion and on a simplified one.  Every run either says "out of
# memory" and exits 2, with nothing on stdout but whole lines of the
# output (gw-seg --threads 1 streams) or nothing at all, or finishes with
# the output it gives unhindered.  No abort: when the library linked OpenCC,
# its C++ static initializers ended the process in std::terminate before
# main() whenever one of the first allocations failed.
#
# N runs through every allocation of gw-seg's runs (about 70); for
# gw-terms, which makes 11,700 loading its dictionary, through every one of
# the first HEAD and the last TAIL (the documents, after the dictionaries
# are loaded), and SPREAD points between.
#
# usage: test_alloc_startup.sh BIN_DIR SHIM SANITIZED
# Sanitizers replace malloc themselves: skipped there (exit 77).
set -u
bin=$1 shim=$2
if [ "${3:-0}" = 1 ]; then
  echo "skipped: a sanitized build has its own allocator"
  exit 77
fi
. "$(dirname "$0")/harness.sh"

traditional="$tmp/traditional.txt"
simplified="$tmp/simplified.txt"
printf '關於乾淨環境與乾坤的報告\n一、計畫著作，認真貫徹落實黨中央決策部署。\n' > "$traditional"
printf '一、工作开展情况\n研究部署意识形态工作，落实责任制。\n' > "$simplified"

# Run a tool with allocation N failing (0: none): stdout in $tmp/out,
# stderr in $tmp/err; prints the exit status.
run_failing() {
  local n=$1
  shift
  GW_FAIL_ALLOC=$n GW_FAIL_ALLOC_COUNT="$tmp/count" LD_PRELOAD="$shim" \
    "$bin/$@" > "$tmp/out" 2> "$tmp/err"
  echo $?
}

# The problem with the run just made, or nothing.
problem_of() {
  local rc=$1 streams=$2
  if [ "$rc" = 0 ]; then
    cmp -s "$tmp/out" "$tmp/whole" || echo "exit 0 with other output"
  elif grep -q 'terminate called\|Aborted' "$tmp/err"; then echo "an abort"
  elif [ "$rc" != 2 ]; then echo "exit $rc"
  elif ! grep -q 'out of memory' "$tmp/err"; then echo "no reason: $(head -c 200 "$tmp/err")"
  elif [ "$streams" = 1 ]; then
    if ! head -c "$(wc -c < "$tmp/out")" "$tmp/whole" | cmp -s - "$tmp/out"; then
      echo "output that is not the start of the whole"
    elif [ -s "$tmp/out" ] && [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
      echo "a line cut short"
    fi
  elif [ -s "$tmp/out" ]; then echo "output on stdout ($(wc -c < "$tmp/out") bytes)"
  fi
}

# check_case NAME STREAMS HEAD TAIL SPREAD TOOL ARGS...
check_case() {
  local name=$1 streams=$2 head=$3 tail=$4 spread=$5
  shift 5
  check "$name: the whole run" test "$(run_failing 0 "$@")" = 0
  cp "$tmp/out" "$tmp/whole"
  local last
  last=$(cat "$tmp/count")
  local points
  points=$( { seq 1 $((last < head ? last : head))
              seq $((last > tail ? last - tail : 1)) "$last"
              for i in $(seq 1 "$spread"); do echo $((last * i / (spread + 1))); done; } | sort -nu)
  local bad=0 stopped=0 n rc problem
  for n in $points; do
    rc=$(run_failing "$n" "$@")
    [ "$rc" = 2 ] && stopped=$((stopped + 1))
    problem=$(problem_of "$rc" "$streams")
    if [ -n "$problem" ]; then
      bad=$((bad + 1))
      [ "$bad" -le 5 ] && echo "  $name, allocation $n of $last failing: $problem" >&2
    fi
  done
  check "$name: every failure clean ($bad bad)" test "$bad" = 0
  check "$name: the first allocation failing stops it" test "$(run_failing 1 "$@")" = 2
  check "$name: some runs stopped" test "$stopped" -gt 0
}

all=1000000
check_case "gw-seg traditional" 1 $all 0 0 gw-seg --threads 1 "$traditional"
check_case "gw-seg simplified" 1 $all 0 0 gw-seg --threads 1 "$simplified"
check_case "gw-seg jsonl traditional" 1 $all 0 0 gw-seg --threads 1 --format jsonl "$traditional"
check_case "gw-seg --stats traditional" 0 $all 0 0 gw-seg --stats "$traditional"
check_case "gw-terms traditional" 0 60 120 20 gw-terms --matches "$traditional"
check_case "gw-terms text traditional" 0 10 30 5 gw-terms --format text "$traditional"

finish
