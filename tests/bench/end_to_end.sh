#!/bin/sh
# end_to_end.sh — each tool and each peer as a user runs it, whole process:
# loading, reading, segmenting and writing, on one file and on one folder,
# in one run.  Wall time (median of --runs) and peak RSS (GNU time, one run);
# output to /dev/null.  Prints a Markdown table on stdout.
#
# Usage: tests/bench/end_to_end.sh [--prefix DIR] [--runs N] [--peer-runs N]
#                                  FILE FOLDER
#   --prefix DIR   gongwen's bin/ (and lib/, if there) under DIR (default build)
#   --runs N       runs of each gongwen command (default 5)
#   --peer-runs N  runs of jieba-rs (default 3); python jieba runs once
# The peers: node seg_jiebars.js (npm @node-rs/jieba, `npm install` here
# first) and /usr/bin/python3 seg_jieba.py (Debian's python3-jieba), each
# streaming the words of every line as `gw-seg --format text` writes them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=build runs=5 peer_runs=3
while [ $# -gt 2 ]; do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --peer-runs) peer_runs=$2; shift 2 ;;
    *) echo "end_to_end.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: end_to_end.sh [--prefix DIR] [--runs N] [--peer-runs N] FILE FOLDER" >&2; exit 2; }
file=$1 folder=$2
[ -f "$file" ] || { echo "end_to_end.sh: $file: not a file" >&2; exit 2; }
[ -d "$folder" ] || { echo "end_to_end.sh: $folder: not a folder" >&2; exit 2; }
[ -x "$prefix/bin/gw-seg" ] || { echo "end_to_end.sh: no $prefix/bin/gw-seg" >&2; exit 2; }
[ -d "$prefix/lib" ] && export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
[ -x /usr/bin/time ] || { echo "end_to_end.sh: needs GNU time (/usr/bin/time)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bytes_of() { # the bytes of a file, or of the regular files of a folder
  if [ -d "$1" ]; then find "$1" -maxdepth 1 -type f -printf '%s\n' | awk '{s += $1} END {print s}'
  else wc -c < "$1"; fi
}

# measure N CMD...: "median_wall_s peak_kib": the wall time of N runs in
# microseconds (stdout to /dev/null), then one more under GNU time for the
# peak RSS (its own %e counts hundredths only)
measure() {
  n=$1; shift
  : > "$tmp/runs"
  i=0
  while [ $i -lt "$n" ]; do
    t0=$(date +%s%N)
    "$@" > /dev/null 2> "$tmp/err" || {
      echo "end_to_end.sh: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >> "$tmp/runs"
    i=$((i + 1))
  done
  /usr/bin/time -f '%M' -o "$tmp/peak" "$@" > /dev/null 2>&1
  sort -n "$tmp/runs" | awk -v peak="$(tail -n 1 "$tmp/peak")" '{w[NR] = $1 / 1e6}
    END {print (NR % 2 ? w[(NR + 1) / 2] : (w[NR / 2] + w[NR / 2 + 1]) / 2), peak}'
}

echo "Load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
echo
for input in "$file" "$folder"; do
  bytes=$(bytes_of "$input")
  what=$(basename "$input")
  [ -d "$input" ] && what="$what/ ($(find "$input" -maxdepth 1 -type f | wc -l) files)"
  echo "#### $what: $bytes bytes"
  echo
  echo "| program | runs | wall (s), median | MB/s | peak RSS (MiB) | time / jieba-rs's |"
  echo "|---|---:|---:|---:|---:|---:|"
  set -- \
    "gw-seg --format text" "gw-seg --threads 1 --format text" \
    "gw-seg --threads 1 --format jsonl" "gw-seg --threads 1 --stats" \
    "gw-terms" "gw-terms --threads 1" "gw-stats" "gw-stats --threads 1"
  : > "$tmp/rows"
  for cmd; do
    tool=${cmd%% *} args=${cmd#"$tool"}
    # shellcheck disable=SC2086 # args is a list of words
    r=$(measure "$runs" "$prefix/bin/$tool" $args "$input")
    echo "$cmd|$runs|$r" >> "$tmp/rows"
  done
  r=$(measure "$peer_runs" node "$here/seg_jiebars.js" "$input")
  echo "jieba-rs (node seg_jiebars.js)|$peer_runs|$r" >> "$tmp/rows"
  peer=${r%% *}
  r=$(measure 1 /usr/bin/python3 "$here/seg_jieba.py" "$input")
  echo "jieba (python3 seg_jieba.py)|1|$r" >> "$tmp/rows"
  awk -F'|' -v bytes="$bytes" -v peer="$peer" '{
    split($3, r, " ")
    printf "| `%s` | %d | %.3f | %.1f | %.1f | %.3f |\n", $1, $2, r[1],
      (r[1] > 0 ? bytes / 1e6 / r[1] : 0), r[2] / 1024, r[1] / peer }' "$tmp/rows"
  echo
done
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
