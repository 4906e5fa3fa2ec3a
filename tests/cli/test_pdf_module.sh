#!/usr/bin/env bash
# The PDF module (lib/formats/pdf_module.h): poppler is loaded only when a
# PDF is read, from the build tree and once installed, and a missing or
# broken module is one clear error for the PDFs alone.
# usage: test_pdf_module.sh BUILD_DIR FIXTURES_DIR
set -u
build=$1
fixtures=$2
bin=$build/bin
. "$(dirname "$0")/harness.sh"

# libgongwen itself does not link poppler; the module does.
check "libgongwen does not link poppler" \
  sh -c "! readelf -d '$build/lib/libgongwen.so' | grep -q 'NEEDED.*poppler'"
check "the module links poppler-glib" \
  sh -c "readelf -d '$build/lib/gongwen/libgongwen-pdf.so' | grep -q 'NEEDED.*libpoppler-glib'"
check "the module exports only its entry" test \
  "$(nm -D --defined-only "$build/lib/gongwen/libgongwen-pdf.so" | awk '$2 ~ /[TDBR]/ {print $3}')" = gw_pdf_module_read

# The dynamic loader's own record of what it loads.
echo '落实一岗双责' > "$tmp/tiny.txt"
LD_DEBUG=files "$bin/gw-extract" "$tmp/tiny.txt" "$fixtures/report.docx" > /dev/null 2> "$tmp/ld-text"
check "text and .docx: poppler not loaded" sh -c "! grep -q poppler '$tmp/ld-text'"
check "text and .docx: no PDF module" sh -c "! grep -q libgongwen-pdf '$tmp/ld-text'"
LD_DEBUG=files "$bin/gw-extract" "$fixtures/report.pdf" > "$tmp/pdf-build.txt" 2> "$tmp/ld-pdf"
check "a PDF loads the module" grep -q 'lib/gongwen/libgongwen-pdf.so' "$tmp/ld-pdf"
check "a PDF loads poppler" grep -q 'libpoppler-glib' "$tmp/ld-pdf"
check "the PDF's text" grep -q '意识形态' "$tmp/pdf-build.txt"

# Installed: the tools find the module beside the installed library.
prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" > "$tmp/install.log"
module=$(ls "$prefix"/lib*/gongwen/libgongwen-pdf.so 2> /dev/null | head -n 1)
check "the module is installed in LIBDIR/gongwen" test -n "$module"
check "installed gw-extract reads a PDF" \
  test "$(status_of "$prefix/bin/gw-extract" "$fixtures/report.pdf")" = 0
check "as the build tree does" cmp -s "$tmp/out" "$tmp/pdf-build.txt"

# A module whose poppler-glib is missing (its NEEDED entry renamed, same
# length): the PDF is refused by name with the package to install, the
# other file is still read.
cp "$module" "$tmp/module.so"
perl -pi -e 's/libpoppler-glib\.so\./libpoppler-gliX.so./g' "$module"
check "poppler-glib missing: exit 1" test "$(status_of "$prefix/bin/gw-extract" \
  "$fixtures/report.pdf" "$fixtures/report.docx")" = 1
check "poppler-glib missing: named, with the package" grep -q \
  "report.pdf: cannot read PDFs: the PDF module cannot be loaded (libpoppler-gliX.so.*); it needs poppler-glib: install the Debian package 'libpoppler-glib8'" "$tmp/err"
check "poppler-glib missing: the .docx is read" cmp -s "$tmp/out" "$fixtures/report.txt"
printf 'not a shared object' > "$module"
check "a damaged module: exit 1" test "$(status_of "$prefix/bin/gw-extract" \
  "$fixtures/report.pdf" "$fixtures/report.docx")" = 1
check "a damaged module: named" grep -q \
  "report.pdf: cannot read PDFs: the PDF module cannot be loaded (.*libgongwen-pdf.so: " "$tmp/err"
rm -f "$module"
check "no module: exit 1" test "$(status_of "$prefix/bin/gw-extract" \
  "$fixtures/report.pdf" "$fixtures/report.docx")" = 1
check "no module: named" grep -q \
  "report.pdf: cannot read PDFs: gongwen's PDF module is not installed (no .*/gongwen/libgongwen-pdf.so)" "$tmp/err"
check "no module: the .docx is read" cmp -s "$tmp/out" "$fixtures/report.txt"
finish
