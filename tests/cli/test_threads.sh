#!/usr/bin/env bash
# --threads: the output is byte-identical for 1 and 4 threads (documents
# are prepared on workers and written in input order), errors included.
# usage: test_threads.sh BIN_DIR CORPUS_DIR
set -u
bin=$1
corpus=$2
. "$(dirname "$0")/harness.sh"

# Sixty reports of different lengths (each a slice of the corpus), a file
# that cannot be decoded and one that does not exist, between them.
mkdir "$tmp/many"
i=0
for f in "$corpus"/*.txt; do
  for n in 3 7 11 17 23 29 31 37 41 47 53 59; do
    i=$((i + 1))
    head -n "$n" "$f" > "$tmp/many/$(printf '%03d' $i).txt"
  done
done
printf '加强\xff\n' > "$tmp/many/030b.txt"
inputs=("$tmp/many" "$tmp/missing.txt" "$corpus")

same_for_threads() { # tool and its options
  "$bin/$1" --threads 1 "${@:2}" "${inputs[@]}" > "$tmp/t1" 2> "$tmp/e1"
  local s1=$?
  "$bin/$1" --threads 4 "${@:2}" "${inputs[@]}" > "$tmp/t4" 2> "$tmp/e4"
  local s4=$?
  [ "$s1" = 1 ] && [ "$s4" = 1 ] && [ -s "$tmp/t1" ] && cmp -s "$tmp/t1" "$tmp/t4" &&
    cmp -s "$tmp/e1" "$tmp/e4"
}

check "gw-seg text: 1 and 4 threads alike" same_for_threads gw-seg
check "gw-seg text --with-path: alike" same_for_threads gw-seg --with-path
check "gw-seg jsonl: alike" same_for_threads gw-seg --format jsonl
check "gw-seg --stats: alike" same_for_threads gw-seg --stats
check "gw-terms: alike" same_for_threads gw-terms --matches --by-section
check "gw-terms text --discover: alike" same_for_threads gw-terms --format text --discover
check "gw-stats json: alike" same_for_threads gw-stats --format json
check "gw-stats text: alike" same_for_threads gw-stats
gap_alike() { # gw-gap's options: the draft, then the references
  "$bin/gw-gap" --threads 1 "$@" > "$tmp/g1" 2> "$tmp/ge1"
  local s1=$?
  "$bin/gw-gap" --threads 4 "$@" > "$tmp/g4" 2> "$tmp/ge4"
  local s4=$?
  [ "$s1" = 1 ] && [ "$s4" = 1 ] && [ -s "$tmp/g1" ] && cmp -s "$tmp/g1" "$tmp/g4" && cmp -s "$tmp/ge1" "$tmp/ge4"
}
check "gw-gap: alike" gap_alike "$tmp/many/001.txt" --corpus "$tmp/many"
check "gw-gap text: alike" gap_alike --format text "$corpus/000_c510bc378b158120.txt" --corpus "$tmp/many"
check "the default (every core) gives the same" bash -c "'$bin/gw-seg' --format jsonl '$tmp/many' '$corpus' 2>/dev/null | cmp -s - <('$bin/gw-seg' --threads 1 --format jsonl '$tmp/many' '$corpus' 2>/dev/null)"
check "stdin with 4 threads" bash -c "'$bin/gw-seg' --threads 4 < '$corpus/003_1973e543c9b997a8.txt' | cmp -s - <('$bin/gw-seg' --threads 1 '$corpus/003_1973e543c9b997a8.txt')"
check "--threads 0 is a usage error" test "$(status_of "$bin/gw-seg" --threads 0 "$corpus")" = 2
check "--threads 0 is named" grep -q -- '--threads needs a whole number from 1 to 1024' "$tmp/err"
for tool in gw-seg gw-terms gw-gap gw-stats; do
  check "$tool --help lists --threads" bash -c "'$bin/$tool' --help | grep -q '^  --threads N'"
done

finish
