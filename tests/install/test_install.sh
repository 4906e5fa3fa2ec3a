#!/usr/bin/env bash
# Install the build into a temporary prefix, then build a consumer program
# with find_package(gongwen) and with pkg-config, and run both and the
# installed gw-seg (which must find its dictionary without flags).
# usage: test_install.sh BUILD_DIR SOURCE_DIR [SANITIZE]
set -eu
build=$1
src=$2
# A sanitizer build's library needs its consumers built the same way.
cflags=
case "${3:-0}" in 1|ON|on|TRUE|true) cflags="-fsanitize=address,undefined" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
libdir=$(ls -d "$prefix"/lib*/ | head -n 1)
libdir=${libdir%/}

expect='意识形态工作责任制/word'
cmake -S "$src/tests/install" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_C_FLAGS="$cflags" > "$tmp/consumer.log"
cmake --build "$tmp/consumer" > "$tmp/consumer-build.log"
out=$(LD_LIBRARY_PATH=$libdir "$tmp/consumer/consumer" "$prefix/share/gongwen/gongwen.gwd")
grep -q "$expect" <<< "$out" || { echo "find_package consumer: unexpected output: $out"; exit 1; }
# a .docx through the installed library and its document module
docx=$src/tests/data/formats/report.docx
LD_LIBRARY_PATH=$libdir "$tmp/consumer/consumer" "$prefix/share/gongwen/gongwen.gwd" \
  "$docx" > "$tmp/docx.txt" || { echo "find_package consumer: the .docx not read"; exit 1; }
head -c "$(wc -c < "$src/tests/data/formats/report.txt")" "$tmp/docx.txt" |
  cmp -s - "$src/tests/data/formats/report.txt" ||
  { echo "find_package consumer: the .docx's text differs"; exit 1; }
LD_DEBUG=files LD_LIBRARY_PATH=$libdir "$tmp/consumer/consumer" \
  "$prefix/share/gongwen/gongwen.gwd" "$docx" 2>&1 > /dev/null |
  grep -q "$libdir/gongwen/libgongwen-docs.so" ||
  { echo "find_package consumer: not the installed document module"; exit 1; }
# the static library, whose private dependencies its users must link too
out=$("$tmp/consumer/consumer_static" "$prefix/share/gongwen/gongwen.gwd")
grep -q "$expect" <<< "$out" || { echo "find_package static consumer: unexpected output: $out"; exit 1; }

PKG_CONFIG_PATH=$libdir/pkgconfig
export PKG_CONFIG_PATH
cc -std=c11 $cflags $(pkg-config --cflags gongwen) "$src/tests/install/consumer.c" \
   $(pkg-config --libs gongwen) -o "$tmp/consumer-pc"
out=$(LD_LIBRARY_PATH=$libdir "$tmp/consumer-pc" "$prefix/share/gongwen/gongwen.gwd")
grep -q "$expect" <<< "$out" || { echo "pkg-config consumer: unexpected output: $out"; exit 1; }
LD_LIBRARY_PATH=$libdir "$tmp/consumer-pc" "$prefix/share/gongwen/gongwen.gwd" \
  "$docx" > "$tmp/docx-pc.txt" || { echo "pkg-config consumer: the .docx not read"; exit 1; }
cmp -s "$tmp/docx.txt" "$tmp/docx-pc.txt" || { echo "pkg-config consumer: the .docx's text differs"; exit 1; }
cc -std=c11 $cflags $(pkg-config --cflags gongwen) "$src/tests/install/consumer.c" \
   "$libdir/libgongwen.a" $(pkg-config --libs-only-other --libs-only-l --static gongwen | sed 's/-lgongwen\b//') \
   -o "$tmp/consumer-pc-static"
out=$("$tmp/consumer-pc-static" "$prefix/share/gongwen/gongwen.gwd")
grep -q "$expect" <<< "$out" || { echo "pkg-config static consumer: unexpected output: $out"; exit 1; }

# the installed tool finds its data and library without help
out=$(echo '落实一岗双责' | "$prefix/bin/gw-seg")
[ "$out" = "落实 一岗双责" ] || { echo "installed gw-seg: unexpected output: $out"; exit 1; }
test -f "$prefix/share/gongwen/jieba-LICENSE" || { echo "jieba's license notice not installed"; exit 1; }

# only gw_ symbols are exported, and the SONAME is versioned
so=$(ls "$libdir"/libgongwen.so.* | head -n 1)
others=$(nm -D --defined-only "$so" | awk '$2 ~ /[TDBR]/ && $3 !~ /^gw_/ {print $3}')
[ -z "$others" ] || { echo "exported symbols without gw_ prefix: $others"; exit 1; }
readelf -d "$so" | grep -q 'SONAME.*libgongwen.so.[0-9]' || { echo "no versioned SONAME"; exit 1; }
echo "1 passed, 0 failed"
