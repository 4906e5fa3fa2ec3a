#!/bin/bash
# Many-core scaling figures (issues 10 and 15), for a machine with many cores
# and none of the project's Debian packages (README.md here says how to
# prepare it: the build, the shared libraries, OpenCC's data, the word lists).
set -u
cd "$(dirname "$0")/../../.."
R=$OUT/results.txt
exec > >(tee -a "$R") 2>&1
echo "== machine: $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo)"
tar -xJf tests/bench/device/devlibs.tar.xz -C /tmp
export LD_LIBRARY_PATH=/tmp/devlibs:$PWD/build/lib
mkdir -p /usr/share/opencc && cp -n tests/bench/device/opencc/* /usr/share/opencc/ 2>/dev/null
B=$PWD/build/bin
$B/gw-dups --version || { echo "gw-dups does not start"; ldd $B/gw-dups | grep 'not found'; exit 1; }
PY=$(command -v python3 || true)
echo "python3: ${PY:-none}"
t() { /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak" "$@"; }
# 1. gw-dups on 1M paragraphs with families, 1..16 threads
if [ -n "$PY" ]; then
  echo "== generating 1M paragraphs with families"
  t env GW_ICWB2_DIR=$PWD/tests/bench/device/icwb2 $PY tests/bench/dups/gen_dups.py /tmp/f1m 1000000 1 --families > /dev/null
  du -sh /tmp/f1m/docs; ls /tmp/f1m/docs | wc -l
  for T in 16 8 4 2 1; do
    echo "-- gw-dups --threads $T, 1M paragraphs with families"
    t $B/gw-dups --format jsonl --no-text --threads $T /tmp/f1m/docs > /tmp/out$T.jsonl
    md5sum /tmp/out$T.jsonl | cut -c1-32; wc -l < /tmp/out$T.jsonl
  done
fi
# 2. gw-seg and gw-terms over 2,000 report files, 1..16 threads
mkdir -p /tmp/reports
for i in $(seq 0 399); do for f in corpus/*.txt; do cp "$f" "/tmp/reports/r${i}_$(basename "$f")"; done; done
du -sh /tmp/reports
for tool in "gw-seg --format text" "gw-seg --format jsonl" "gw-terms"; do
  for T in 16 8 4 2 1; do
    echo "-- $tool --threads $T, 2,000 files (15 MB)"
    t $B/$tool --threads $T /tmp/reports > /tmp/o.txt; md5sum /tmp/o.txt | cut -c1-32
  done
done
echo "== done"
