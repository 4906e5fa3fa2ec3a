# golden.sh — sourced by tests/golden/terms/run.sh and tests/golden/gap/run.sh
# after setting bin, compare, src, work and here: a clean work folder, the
# source folder as the current one (paths in the JSON stay relative: corpus/…),
# fail, and golden NAME COMMAND… (COMMAND's stdout against NAME.expected.json,
# or written there when GW_GOLDEN_UPDATE=1).
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$src" || exit 1

golden() {
  local name=$1
  shift
  "$@" > "$work/$name.json" || fail "$name: exit $?"
  if [ "${GW_GOLDEN_UPDATE:-0}" = 1 ]; then
    cp "$work/$name.json" "$here/$name.expected.json"
  else
    "$compare" "$here/$name.expected.json" "$work/$name.json" || fail "$name: differs from $name.expected.json"
  fi
}
