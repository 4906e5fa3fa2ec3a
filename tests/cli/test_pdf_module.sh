#!/usr/bin/env bash
# The PDF module (lib/formats/pdf_module.h): poppler is loaded only when a
# PDF is read, from the build tree and once installed, and a missing or
# broken module is one clear error for the PDFs alone.  The same for the
# document module (lib/formats/docs_module.h): libzip, libxml2 and ISA-L
# only when a .docx, an OFD or a web page is read.
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

# libgongwen links neither libzip, libxml2 nor ISA-L; the document module does.
for lib in libzip libxml2 libisal; do
  check "libgongwen does not link $lib" \
    sh -c "! readelf -d '$build/lib/libgongwen.so' | grep -q 'NEEDED.*$lib'"
  check "the document module links $lib" \
    sh -c "readelf -d '$build/lib/gongwen/libgongwen-docs.so' | grep -q 'NEEDED.*$lib'"
done
check "the document module exports only its entry" test \
  "$(nm -D --defined-only "$build/lib/gongwen/libgongwen-docs.so" | awk '$2 ~ /[TDBR]/ {print $3}')" = gw_docs_module_read

# The dynamic loader's own record of what it loads.
echo '落实一岗双责' > "$tmp/tiny.txt"
LD_DEBUG=files "$bin/gw-extract" "$tmp/tiny.txt" "$fixtures/report.docx" > /dev/null 2> "$tmp/ld-text"
check "text and .docx: poppler not loaded" sh -c "! grep -q poppler '$tmp/ld-text'"
check "text and .docx: no PDF module" sh -c "! grep -q libgongwen-pdf '$tmp/ld-text'"
LD_DEBUG=files "$bin/gw-extract" "$tmp/tiny.txt" > /dev/null 2> "$tmp/ld-tiny"
for lib in libgongwen-docs libzip libxml2 libisal libicu; do
  check "plain text: $lib not loaded" sh -c "! grep -q '$lib' '$tmp/ld-tiny'"
done
check "a .docx loads the document module" \
  grep -q 'lib/gongwen/libgongwen-docs.so' "$tmp/ld-text"
for f in report.docx report.ofd report.html; do
  "$bin/gw-extract" "$fixtures/$f" > "$tmp/build-$f.txt"
done
check "the .docx's text" cmp -s "$tmp/build-report.docx.txt" "$fixtures/report.txt"
LD_DEBUG=files "$bin/gw-extract" "$fixtures/report.pdf" > "$tmp/pdf-build.txt" 2> "$tmp/ld-pdf"
check "a PDF loads neither the document module nor libxml2" \
  sh -c "! grep -q 'libgongwen-docs\|libxml2' '$tmp/ld-pdf'"
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
docs=$(ls "$prefix"/lib*/gongwen/libgongwen-docs.so 2> /dev/null | head -n 1)
check "the document module is installed in LIBDIR/gongwen" test -n "$docs"
for f in report.docx report.ofd report.html; do
  check "installed gw-extract reads $f" \
    test "$(status_of "$prefix/bin/gw-extract" "$fixtures/$f")" = 0
  check "$f as the build tree reads it" cmp -s "$tmp/out" "$tmp/build-$f.txt"
done

# broken_module LABEL MODULE RENAME DOC OTHER EXPECTED MISSING DAMAGED ABSENT:
# the installed MODULE with a library it needs missing (its NEEDED entry
# renamed by the perl substitution RENAME, same length), then damaged, then
# absent.  Each time DOC is refused by name (the grep patterns MISSING,
# with the packages to install, DAMAGED, ABSENT), exit 1, and OTHER is
# still read, as EXPECTED.  The module is put back after.
broken_module() {
  local label=$1 module=$2 rename=$3 doc=$4 other=$5 expected=$6
  cp "$module" "$tmp/saved.so"
  perl -pi -e "$rename" "$module"
  check "$label, a library missing: exit 1" \
    test "$(status_of "$prefix/bin/gw-extract" "$doc" "$other")" = 1
  check "$label, a library missing: named, with the package" grep -q "$7" "$tmp/err"
  check "$label, a library missing: the other file is read" cmp -s "$tmp/out" "$expected"
  printf 'not a shared object' > "$module"
  check "$label damaged: exit 1" \
    test "$(status_of "$prefix/bin/gw-extract" "$doc" "$other")" = 1
  check "$label damaged: named" grep -q "$8" "$tmp/err"
  rm -f "$module"
  check "$label absent: exit 1" \
    test "$(status_of "$prefix/bin/gw-extract" "$doc" "$other")" = 1
  check "$label absent: named" grep -q "$9" "$tmp/err"
  check "$label absent: the other file is read" cmp -s "$tmp/out" "$expected"
  cp "$tmp/saved.so" "$module"
}

broken_module "the PDF module" "$module" 's/libpoppler-glib\.so\./libpoppler-gliX.so./g' \
  "$fixtures/report.pdf" "$fixtures/report.docx" "$fixtures/report.txt" \
  "report.pdf: cannot read PDFs: the PDF module cannot be loaded (libpoppler-gliX.so.*); it needs poppler-glib: install the Debian package 'libpoppler-glib8'" \
  "report.pdf: cannot read PDFs: the PDF module cannot be loaded (.*libgongwen-pdf.so: " \
  "report.pdf: cannot read PDFs: gongwen's PDF module is not installed (no .*/gongwen/libgongwen-pdf.so)"
broken_module "the document module" "$docs" 's/libxml2\.so\./libxmlX.so./g' \
  "$fixtures/report.docx" "$fixtures/report.pdf" "$tmp/pdf-build.txt" \
  "report.docx: cannot read Word and OFD documents: the document module cannot be loaded (libxmlX.so.*); it needs libzip, libxml2 and ISA-L: install the Debian packages 'libzip4', 'libxml2' and 'libisal2'" \
  "report.docx: cannot read Word and OFD documents: the document module cannot be loaded (.*libgongwen-docs.so: " \
  "report.docx: cannot read Word and OFD documents: gongwen's document module is not installed (no .*/gongwen/libgongwen-docs.so)"
# A page and an OFD say so as well.
rm -f "$docs"
check "no document module: exit 1" test "$(status_of "$prefix/bin/gw-extract" \
  "$fixtures/report.html" "$fixtures/report.ofd" "$tmp/tiny.txt")" = 1
check "no document module: the page named" grep -q \
  "report.html: cannot read web pages: gongwen's document module is not installed" "$tmp/err"
check "no document module: the OFD named" grep -q \
  "report.ofd: cannot read Word and OFD documents: gongwen's document module is not installed" "$tmp/err"
check "no document module: the text is read" grep -q '落实一岗双责' "$tmp/out"
finish
