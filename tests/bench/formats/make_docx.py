#!/usr/bin/python3
"""Word documents for measuring extraction (tests/bench/formats/README.md).

  make_docx.py OUT_DIR COUNT       COUNT reports, corpus/ cycled, each a .docx
                                   with styles, numbering.xml and headings
  make_docx.py --large OUT PARAS   one .docx of PARAS paragraphs (corpus/
                                   paragraphs repeated, headings numbered)

Written with the standard library only (zipfile), like the test fixtures.
"""
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def corpus_reports():
    folder = os.path.join(ROOT, "corpus")
    out = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".txt"):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                out.append([l.strip() for l in f if l.strip()])
    return out


def paragraph(line):
    if line[:2] in ("一、", "二、", "三、", "四、", "五、"):
        return ('<w:p><w:pPr><w:pStyle w:val="1"/></w:pPr><w:r><w:t>%s</w:t>'
                '</w:r></w:p>' % esc(line[2:]))
    if line.startswith("（") and line[2:3] == "）":
        return ('<w:p><w:pPr><w:pStyle w:val="2"/></w:pPr><w:r><w:t>%s</w:t>'
                '</w:r></w:p>' % esc(line[3:]))
    return ('<w:p><w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr>'
            '<w:t xml:space="preserve">%s</w:t></w:r></w:p>' % esc(line))


def write_docx(path, lines):
    body = "".join(paragraph(l) for l in lines)
    parts = {
        "[Content_Types].xml": XML + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension='
            '"xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="%sofficeDocument"'
            ' Target="word/document.xml"/></Relationships>' % REL),
        "word/_rels/document.xml.rels": XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="%sstyles" '
            'Target="styles.xml"/><Relationship Id="rId2" Type="%snumbering" '
            'Target="numbering.xml"/></Relationships>' % (REL, REL)),
        "word/document.xml": XML + (
            '<w:document xmlns:w="%s"><w:body>%s<w:sectPr/></w:body>'
            '</w:document>' % (W, body)),
        "word/styles.xml": XML + (
            '<w:styles xmlns:w="%s"><w:style w:type="paragraph" w:default="1" '
            'w:styleId="a"><w:name w:val="Normal"/></w:style>'
            '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/>'
            '<w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
            '</w:pPr></w:style><w:style w:type="paragraph" w:styleId="2">'
            '<w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:numPr>'
            '<w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
            '</w:styles>' % W),
        "word/numbering.xml": XML + (
            '<w:numbering xmlns:w="%s"><w:abstractNum w:abstractNumId="0">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%%2）"/></w:lvl>'
            '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/>'
            '</w:num></w:numbering>' % W),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, (2023, 1, 5, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def main():
    reports = corpus_reports()
    if sys.argv[1] == "--large":
        out, count = sys.argv[2], int(sys.argv[3])
        lines = []
        while len(lines) < count:
            for r in reports:
                lines += r
        write_docx(out, lines[:count])
        return
    out, count = sys.argv[1], int(sys.argv[2])
    os.makedirs(out, exist_ok=True)
    for i in range(count):
        write_docx(os.path.join(out, "report_%03d.docx" % i),
                   reports[i % len(reports)])


if __name__ == "__main__":
    main()
