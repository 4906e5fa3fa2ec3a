# Sourced by the golden tests that run a tool on the demonstration batch
# (golden_dups, golden_archive), with bin, compare, src, work and here set.
# Makes the batch (examples/make-demo-batch.sh: corpus/ cut and renamed by a
# fixed recipe) in $work/batch and changes into it, so that everything runs
# with relative names and no temporary path reaches the output.
# GW_GOLDEN_UPDATE=1 rewrites the expected files from this build: read the
# diff before committing it, and say in the commit why each value moved.
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

rm -rf "$work" && mkdir -p "$work" || exit 1
sh "$src/examples/make-demo-batch.sh" "$work/batch" > /dev/null || exit 1
cd "$work/batch" || exit 1

# golden NAME EXT JUDGE COMMAND...: COMMAND's stdout against NAME.expected.EXT,
# judged by JUDGE EXPECTED ACTUAL (or written there with GW_GOLDEN_UPDATE=1);
# its stderr in $work/NAME.err.
golden() {
  local name=$1 ext=$2 judge=$3
  shift 3
  "$@" > "$work/$name.$ext" 2> "$work/$name.err" || fail "$name: exit $?"
  if [ "${GW_GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/$name.$ext" "$here/$name.expected.$ext"
  else
    $judge "$here/$name.expected.$ext" "$work/$name.$ext" ||
      fail "$name: differs from $name.expected.$ext"
  fi
}

# finish TEST: the verdict, as ctest reads it.
finish() {
  [ $fails -eq 0 ] && echo "$1: all passed"
  exit $((fails > 0))
}
