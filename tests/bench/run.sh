#!/bin/sh
# run.sh — gongwen's benchmarks, run by hand (never part of ctest).
#
# Usage (from anywhere):
#   tests/bench/run.sh [--build DIR] [--runs N] [--fast-score]
#                      [--skip-accuracy] [--skip-speed]
#
#   --build DIR      gongwen build tree with bin/gw-seg, lib/libgongwen.*,
#                    include/ and share/gongwen/gongwen.gwd (default build)
#   --runs N         best of N for gongwen's speed (bench_seg) and for the
#                    peers' C/node runs (default 5; python jieba runs once)
#   --fast-score     score by character spans (score.py --fast) instead of
#                    the bakeoff's diff -y alignment; quicker, see README.md
#   --skip-accuracy, --skip-speed   leave a part out
#
# Writes tests/bench/out/ (gitignored): the segmented test sets, the raw
# results (accuracy.tsv, speed_*.jsonl, rss.tsv) and results.md, the tables
# with the date, machine and versions, which README.md's Results are copied
# from.  Needs: /usr/bin/python3 with python3-jieba, node + npm
# (@node-rs/jieba, installed here into tests/bench/node_modules), friso,
# friso-dict and libfriso-dev, GNU time (package `time`), cc, pkg-config.
# gongwen rows are left out (with a note) when the build tree lacks them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$root/build
runs=5
score_opt=""
do_acc=1
do_speed=1
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --fast-score) score_opt=--fast; shift ;;
    --skip-accuracy) do_acc=0; shift ;;
    --skip-speed) do_speed=0; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
data=${GW_ICWB2:-$root/../shared/data/icwb2}
out=$here/out
mkdir -p "$out"
note() { echo "run.sh: $*" >&2; }

# ---------------------------------------------------------------- tools
$PY -c 'import jieba' 2>/dev/null || { note "python3-jieba missing (apt-get install python3-jieba)"; exit 1; }
[ -x /usr/bin/time ] || { note "GNU time missing (apt-get install time)"; exit 1; }
if [ ! -d "$here/node_modules/@node-rs/jieba" ]; then
  note "installing @node-rs/jieba into tests/bench/node_modules"
  (cd "$here" && npm install --no-audit --no-fund >/dev/null)
fi
cc -O2 -o "$out/friso_seg" "$here/friso_seg.c" $(pkg-config --cflags --libs friso)
# friso's own configuration, with unrecognised characters kept (else they
# vanish from the output) and no synonyms appended.
sed -e 's/^friso.add_syn = .*/friso.add_syn = 0/' \
    -e 's/^friso.keep_urec = .*/friso.keep_urec = 1/' \
    /etc/friso/friso.ini > "$out/friso.ini"

gwseg=""
if [ -x "$build/bin/gw-seg" ] && printf '测试\n' > "$out/probe.txt" &&
   "$build/bin/gw-seg" --format text "$out/probe.txt" >/dev/null 2>&1; then
  gwseg=$build/bin/gw-seg
else
  note "no working $build/bin/gw-seg --format text: gw-seg rows left out"
fi
gwd=$build/share/gongwen/gongwen.gwd
bench=""
if [ -f "$gwd" ] && [ -f "$build/include/gongwen_version.h" ]; then
  if [ -f "$build/lib/libgongwen.so" ]; then
    cc -O2 -std=c11 -I "$root/lib/include" -I "$build/include" "$here/bench_seg.c" \
      -L "$build/lib" -lgongwen -Wl,-rpath,"$build/lib" -o "$out/bench_seg"
    bench=$out/bench_seg
  elif [ -f "$build/lib/libgongwen.a" ]; then
    cc -O2 -std=c11 -I "$root/lib/include" -I "$build/include" "$here/bench_seg.c" \
      "$build/lib/libgongwen.a" $(pkg-config --libs libutf8proc libzip libxml-2.0) -lm -ldl -pthread \
      -o "$out/bench_seg"
    bench=$out/bench_seg
  fi
fi
[ -n "$bench" ] || note "no libgongwen or $gwd in $build: bench_seg rows left out"

# ------------------------------------------------------------- accuracy
if [ $do_acc = 1 ]; then
  : > "$out/accuracy.tsv"
  for set in pku msr; do
    in=$data/${set}_test.utf8
    note "accuracy: segmenting $set"
    $PY "$here/seg_jieba.py" "$in" "$out/$set.jieba.txt"
    $PY "$here/seg_jieba.py" --no-hmm "$in" "$out/$set.jieba-nohmm.txt"
    $PY "$here/seg_jieba.py" --lexicon "$root/dict/lexicon.txt" "$in" "$out/$set.jieba+lexicon.txt"
    $PY "$here/seg_jieba.py" --no-hmm --lexicon "$root/dict/lexicon.txt" "$in" "$out/$set.jieba+lexicon-nohmm.txt"
    node "$here/seg_jiebars.js" "$in" "$out/$set.jieba-rs.txt"
    node "$here/seg_jiebars.js" --no-hmm "$in" "$out/$set.jieba-rs-nohmm.txt"
    "$out/friso_seg" "$out/friso.ini" "$in" "$out/$set.friso.txt"
    names="jieba jieba-nohmm jieba+lexicon jieba+lexicon-nohmm jieba-rs jieba-rs-nohmm friso"
    if [ -n "$gwseg" ]; then
      "$gwseg" --format text "$in" > "$out/$set.gw-seg.txt"
      "$gwseg" --format text --no-hmm "$in" > "$out/$set.gw-seg-nohmm.txt"
      names="$names gw-seg gw-seg-nohmm"
    fi
    for name in $names; do
      note "accuracy: scoring $set $name"
      printf '%s\t' "$set" >> "$out/accuracy.tsv"
      $PY "$here/score.py" $score_opt --row "$name" \
        "$data/${set}_training_words.utf8" "$data/${set}_test_gold.utf8" \
        "$out/$set.$name.txt" >> "$out/accuracy.tsv"
    done
  done
fi

# ---------------------------------------------------------------- speed
if [ $do_speed = 1 ]; then
  big=$out/report_20mb.txt
  "$here/make_report_20mb.sh" "$big"
  # A second, smaller file of distinct text: the SIGHAN test sets and word
  # lists (2.6 MB).  The 20 MB file repeats 38 KB of text, so the dictionary
  # entries it touches stay in the CPU caches; this one shows the other case.
  distinct=$out/distinct.txt
  cat "$data/pku_test.utf8" "$data/msr_test.utf8" \
      "$data/pku_training_words.utf8" "$data/msr_training_words.utf8" > "$distinct"
  # Timings share the machine with whatever else runs: keep its load.
  cut -d' ' -f1-3 /proc/loadavg > "$out/load_before.txt"
  for f in big distinct; do
    eval file=\$$f
    jsonl=$out/speed_$f.jsonl
    : > "$jsonl"
    if [ -n "$bench" ]; then
      note "speed ($f): libgongwen (bench_seg, best of $runs)"
      "$bench" --dict "$gwd" --runs "$runs" "$file" 2>> "$jsonl"
      "$bench" --dict "$gwd" --runs "$runs" --no-hmm "$file" 2>> "$jsonl"
    fi
    i=0
    while [ $i -lt "$runs" ]; do
      note "speed ($f): jieba-rs and friso, run $((i + 1)) of $runs"
      node "$here/seg_jiebars.js" --time "$file" /dev/null 2>> "$jsonl"
      node "$here/seg_jiebars.js" --time --no-hmm "$file" /dev/null 2>> "$jsonl"
      "$out/friso_seg" --time "$out/friso.ini" "$file" /dev/null 2>> "$jsonl"
      i=$((i + 1))
    done
    note "speed ($f): jieba (python), once"
    $PY "$here/seg_jieba.py" --time "$file" /dev/null 2>> "$jsonl"
  done

  note "peak RSS on the 20 MB file"
  : > "$out/rss.tsv"
  rss() {  # NAME CMD...: peak RSS (kB) and wall time of CMD, output discarded
    name=$1; shift
    /usr/bin/time -f '%M %e' -o "$out/time.txt" "$@" > /dev/null
    read -r kb wall < "$out/time.txt"
    printf '%s\t%s\t%s\n' "$name" "$kb" "$wall" >> "$out/rss.tsv"
  }
  [ -n "$gwseg" ] && rss "gw-seg --format text" "$gwseg" --format text "$big"
  rss "jieba-rs (node seg_jiebars.js)" node "$here/seg_jiebars.js" "$big"
  rss "friso (friso_seg)" "$out/friso_seg" "$out/friso.ini" "$big"
  rss "jieba (python seg_jieba.py)" $PY "$here/seg_jieba.py" "$big"
  cut -d' ' -f1-3 /proc/loadavg > "$out/load_after.txt"
fi

# -------------------------------------------------------------- results
{
  echo "# gongwen benchmark results"
  echo
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)$(git -C "$root" diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
  echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "- peers: jieba $($PY -c 'import jieba; print(jieba.__version__)') (python $($PY -c 'import platform; print(platform.python_version())')), @node-rs/jieba $(node -p "require('$here/node_modules/@node-rs/jieba/package.json').version") (node $(node --version)), friso $(dpkg-query -W -f '${Version}' libfriso0 2>/dev/null)"
  echo "- gongwen: build tree $build ($(grep -m1 CMAKE_BUILD_TYPE:STRING "$build/CMakeCache.txt" 2>/dev/null | sed 's/.*=//'), sources $(grep -m1 CMAKE_HOME_DIRECTORY "$build/CMakeCache.txt" 2>/dev/null | sed 's/.*=//'))"
  echo "- command: tests/bench/run.sh --build $build --runs $runs${score_opt:+ $score_opt}"
  if [ -s "$out/accuracy.tsv" ]; then
    echo
    echo "## Accuracy (SIGHAN 2005 PKU and MSR test sets, bakeoff scoring)"
    echo
    $PY "$here/tables.py" accuracy "$out/accuracy.tsv"
  fi
  if [ -s "$out/speed_big.jsonl" ]; then
    echo
    echo "## Speed"
    echo
    echo "Load average (1, 5, 15 min) before the speed runs: $(cat "$out/load_before.txt" 2>/dev/null), after: $(cat "$out/load_after.txt" 2>/dev/null)."
    echo
    echo "### $(wc -c < "$out/report_20mb.txt") bytes: corpus/ repeated (make_report_20mb.sh)"
    echo
    $PY "$here/tables.py" speed "$out/speed_big.jsonl"
    echo
    echo "### $(wc -c < "$out/distinct.txt") bytes of distinct text: PKU and MSR test sets and training word lists"
    echo
    $PY "$here/tables.py" speed "$out/speed_distinct.jsonl"
  fi
  if [ -s "$out/rss.tsv" ]; then
    echo
    echo "## Peak memory on the same file (GNU time %M; output to /dev/null)"
    echo
    $PY "$here/tables.py" rss "$out/rss.tsv"
  fi
} > "$out/results.md"
note "wrote $out/results.md"
cat "$out/results.md"
