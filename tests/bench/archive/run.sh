#!/usr/bin/env bash
# The archive's benchmark, run by hand (never part of the build or ctest):
# an archive of the planted set of gen_dups.py (PARAGRAPHS paragraphs, about
# a tenth as many reports), all but the last BATCH reports added, then the
# last BATCH checked against it, compared with gw-dups over everything.
#
# usage: run.sh BIN_DIR WORK_DIR [PARAGRAPHS] [BATCH] [THREADS]
#   BIN_DIR   a build's bin/ (gw-archive, gw-dups)
#   WORK_DIR  scratch space (the set and the archive; several GB at 1M)
# FAMILIES=0: the set without template families; MERGE=0: no merge figure;
# PARTS=N: the archive added as N segments of about equal size (an add holds
# its whole segment in memory: about 110 MB per 1,000 reports).
# Prints one line per figure; /usr/bin/time -v gives wall time, CPU time
# (user + system: on a shared machine the figure to compare) and peak RSS.
set -eu
bin=$(cd "$1" && pwd)
work=$2
paragraphs=${3:-1000000}
batch=${4:-200}
threads=${5:-2}
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cd "$work"
if [ ! -d set/docs ]; then
  GW_ICWB2_DIR=${GW_ICWB2_DIR:-/work/shared/data/icwb2} /usr/bin/python3 "$here/../dups/gen_dups.py" set "$paragraphs" 1 $([ "${FAMILIES:-1}" = 1 ] && echo --families) > /dev/null
fi
ls set/docs | sort | sed 's|^|set/docs/|' > all.txt
total=$(wc -l < all.txt)
head -n $((total - batch)) all.txt > archive.txt
tail -n "$batch" all.txt > batch.txt
measure() { # label, command...
  local label=$1
  shift
  /usr/bin/time -v "$@" > /dev/null 2> time.txt || { cat time.txt >&2; return 1; }
  local wall rss cpu
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' time.txt)
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' time.txt)
  cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' time.txt)
  echo "$label: wall $wall, CPU $cpu s, peak RSS $((rss / 1024)) MB"
}
if [ ! -f arc/MANIFEST ]; then
  "$bin/gw-archive" init arc
  parts=${PARTS:-1}
  split -n l/"$parts" -d -a 3 archive.txt part.
  for p in part.*; do
    measure "add $(wc -l < "$p") reports as a segment ($threads threads)" \
      "$bin/gw-archive" add arc --threads "$threads" --list "$p"
  done
  rm -f part.*
fi
bytes=$(du -sb arc | cut -f1)
echo "archive: $((total - batch)) reports, $bytes bytes, $((bytes / (total - batch))) bytes per report"
"$bin/gw-archive" check arc --threads "$threads" --list batch.txt --format jsonl > /dev/null
measure "check $batch reports, warm" "$bin/gw-archive" check arc --threads "$threads" --list batch.txt --format jsonl
# Cold: the archive's pages dropped from the page cache (this archive's
# files only, no root needed).
/usr/bin/python3 -c '
import os, sys
for name in os.listdir(sys.argv[1]):
    fd = os.open(os.path.join(sys.argv[1], name), os.O_RDONLY)
    os.fsync(fd); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED); os.close(fd)
' arc
measure "check $batch reports, cold archive" "$bin/gw-archive" check arc --threads "$threads" --list batch.txt --format jsonl
"$bin/gw-archive" check arc --threads "$threads" --list batch.txt --format jsonl | \
  sed -n 's/.*"record":"archive".*"candidates":\([0-9]*\).*/candidates: \1/p'
measure "gw-dups over archive + batch from scratch" \
  "$bin/gw-dups" --threads "$threads" --list all.txt --format jsonl
if [ "${MERGE:-1}" = 1 ]; then
  "$bin/gw-archive" add arc --threads "$threads" --list batch.txt > /dev/null 2>&1
  measure "merge ($(ls arc | grep -c '^seg-') segments)" "$bin/gw-archive" merge arc
  "$bin/gw-archive" remove arc $(cat batch.txt) 2> /dev/null
fi
