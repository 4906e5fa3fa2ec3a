#!/usr/bin/env bash
# Every tool under an address-space limit (ulimit -v): when memory runs out
# it says so on stderr and exits 2, with nothing on stdout (no half-written
# JSON, no result for the inputs it did manage) and never an abort (a C++
# exception through the library, a signal).  Where the limit is enough, the
# tool's output is the one it gives without a limit.
#
# Each tool's own start-up need (libraries, dictionary) is measured first on
# a tiny report, so the limits follow the machine; the input, corpus/ 100
# times over (4 MB), needs tens of megabytes more than that.
#
# usage: test_memory_limit.sh BIN_DIR CORPUS_DIR SANITIZED
# AddressSanitizer reserves terabytes of address space, so a sanitized build
# cannot run under ulimit -v at all: skipped (exit 77).
set -u
bin=$1
corpus=$2
if [ "${3:-0}" = 1 ]; then
  echo "skipped: a sanitized build cannot run under ulimit -v"
  exit 77
fi
. "$(dirname "$0")/harness.sh"

tiny="$tmp/tiny.txt"
printf '一、工作开展情况\n研究部署意识形态工作，落实责任制。\n' > "$tiny"
big="$tmp/big.txt"
for i in $(seq 100); do cat "$corpus"/0*.txt; done > "$big"

# Faults of tools/ (not of the library) this test found, each with the fix
# described in the report of the session that found it.  Such a tool's
# misbehaviour is printed as an expected failure instead of failing the
# test; an abort fails it whatever the list says.
expected_failure() {
  case $1 in
  *) return 1 ;;
  esac
}

# A case is a tool, or TOOL:MODE for another of its ways to write output
# (each writes its JSON otherwise: gw-seg --stats, gw-terms with every
# match listed, gw-gap with the input as its references, so that examples
# and term uses pile up rather than the draft).
# The arguments of each case for an input file.
args_for() {
  case $1 in
  gw-seg:stats) echo "--stats $2" ;;
  gw-seg:streaming) echo "--threads 1 --format jsonl $2" ;;
  gw-terms:matches) echo "--matches --by-section $2" ;;
  gw-gap) echo "$2 --corpus $tiny" ;;
  gw-gap:references) echo "$tiny --corpus $2" ;;
  gw-report) echo "-o $tmp/report.html $2" ;;
  *) echo "$2" ;;
  esac
}

# Run TOOL on INPUT under LIMIT_KB: stdout in $tmp/out (gw-report: the page
# it wrote), stderr in $tmp/err; prints the exit status.
run_limited() {
  local tool=${1%%:*} input=$2 limit=$3 rc
  rm -f "$tmp/report.html"
  # shellcheck disable=SC2046
  bash -c 'ulimit -v "$1"; shift; exec "$@"' limit "$limit" \
    "$bin/$tool" $(args_for "$1" "$input") > "$tmp/out" 2> "$tmp/err"
  rc=$?
  if [ "$tool" = gw-report ] && [ -s "$tmp/out" ]; then : # printed instead
  elif [ "$tool" = gw-report ] && [ -f "$tmp/report.html" ]; then
    cp "$tmp/report.html" "$tmp/out"
  fi
  echo $rc
}

# What went wrong with the last limited run, or nothing when it failed
# cleanly: exit 2, "out of memory" on stderr, nothing on stdout.  gw-seg
# on one thread streams (a document's records are written as they are
# made): there stdout may hold the start of the output without a limit, in
# whole lines.
fault() {
  local rc=$1 case=$2
  if [ "$rc" != 2 ]; then echo "exit status $rc"
  elif ! grep -q "out of memory" "$tmp/err"; then echo "no 'out of memory' on stderr"
  elif [ "$case" = gw-seg:streaming ]; then
    if ! head -c "$(wc -c < "$tmp/out")" "$tmp/unlimited" | cmp -s - "$tmp/out"; then
      echo "output that is not the start of the whole"
    elif [ -s "$tmp/out" ] && [ "$(tail -c 1 "$tmp/out" | od -An -c | tr -d ' ')" != '\n' ]; then
      echo "a line cut short"
    fi
  elif [ -s "$tmp/out" ]; then echo "output on stdout"
  fi
}

for tool in gw-seg gw-seg:stats gw-seg:streaming gw-terms gw-terms:matches gw-gap gw-gap:references gw-dups \
  gw-stats gw-extract gw-report; do
  # The smallest limit at which the tiny report goes through, in steps of
  # 8 MB ...
  base=0
  for mb in $(seq 8 8 1024); do
    if [ "$(run_limited "$tool" "$tiny" $((mb * 1024)))" = 0 ]; then
      base=$mb
      break
    fi
  done
  check "$tool starts under some limit" test "$base" -gt 0
  [ "$base" -gt 0 ] || continue
  # ... to the megabyte.
  low=$((base - 8))
  while [ $((base - low)) -gt 1 ]; do
    mid=$(((low + base) / 2))
    if [ "$(run_limited "$tool" "$tiny" $((mid * 1024)))" = 0 ]; then
      base=$mid
    else
      low=$mid
    fi
  done
  unlimited_rc=$(run_limited "$tool" "$big" unlimited)
  mv "$tmp/out" "$tmp/unlimited"
  check "$tool without a limit" test "$unlimited_rc" = 0
  ran_out=0
  extras="2 16 48"
  # streaming: finer steps, to stop in the middle of the output
  [ "$tool" = gw-seg:streaming ] && extras=$(seq 2 2 48)
  for extra in $extras; do
    limit_mb=$((base + extra))
    what="$tool under $limit_mb MB (start-up $base MB)"
    rc=$(run_limited "$tool" "$big" $((limit_mb * 1024)))
    check "$what: no abort (exit $rc)" test "$rc" -lt 128
    check "$what: no abort message" \
      bash -c "! grep -qE 'terminate called|std::bad_alloc|Aborted' '$tmp/err'"
    if [ "$rc" = 0 ] && cmp -s "$tmp/out" "$tmp/unlimited"; then
      passed=$((passed + 1)) # enough memory: the same result
      continue
    fi
    ran_out=1
    problem=$(fault "$rc" "$tool")
    if [ -z "$problem" ]; then
      passed=$((passed + 1))
    elif reason=$(expected_failure "$tool"); then
      echo "expected failure: $what: $problem ($reason)"
      passed=$((passed + 1))
    else
      check "$what: $problem" false
    fi
  done
  # The smallest limit must be too small, or nothing was tested.
  check "$tool ran out of memory under the smallest limit" test "$ran_out" = 1
done

finish
