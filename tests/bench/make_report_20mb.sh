#!/bin/sh
# make_report_20mb.sh — write the ~20 MB benchmark text by repeating the five
# reports of corpus/ (sorted by name) until the file holds at least 20 000 000
# bytes: 517 rounds x 38 686 bytes = 20 000 662 bytes.  Deterministic: the
# same corpus gives a byte-identical file.  Run by hand (run.sh calls it).
#
# Usage: tests/bench/make_report_20mb.sh [OUTPUT]
#        (default tests/bench/out/report_20mb.txt, relative to the project root)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here/out/report_20mb.txt}
target=20000000
mkdir -p "$(dirname "$out")"
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp.round"' EXIT
# One round: every report in name order; each file's bytes kept verbatim (the
# reports all end with a line end, so lines never run together).
cat "$root"/corpus/*.txt > "$tmp.round"
round=$(wc -c < "$tmp.round")
[ "$round" -gt 0 ] || { echo "make_report_20mb.sh: corpus/ is empty" >&2; exit 1; }
n=$(( (target + round - 1) / round ))
: > "$tmp"
i=0
while [ "$i" -lt "$n" ]; do
  cat "$tmp.round" >> "$tmp"
  i=$((i + 1))
done
mv "$tmp" "$out"
echo "make_report_20mb.sh: $out: $n rounds of $round bytes = $(wc -c < "$out") bytes" >&2
