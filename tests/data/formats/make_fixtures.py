#!/usr/bin/python3
"""Make the document fixtures of tests/unit/test_formats.c from corpus/.

Run from the repository root:  /usr/bin/python3 tests/data/formats/make_fixtures.py
The outputs are committed (small files), so the tests need none of the tools
used here:

  report.docx      written here (stdlib zipfile) from corpus/000: headings
                   numbered by numbering.xml (chineseCounting, localized style
                   ids "1"/"2" named "heading 1"/"heading 2"), a table, a text
                   box (mc:Choice + mc:Fallback), a tracked deletion and
                   insertion, a HYPERLINK field, a footnote, a header and a
                   footer with a PAGE field
  report.txt       the text report.docx must give, a paragraph per line
  report.doc       report.docx converted by LibreOffice (Debian
                   libreoffice-writer-nogui): a real Word 97 binary file,
                   the tracked deletion and insertion kept as revision marks
  report.pdf       report.docx converted by LibreOffice (font: Debian
                   fonts-wqy-microhei), with a page-number footer
  report-gbk.pdf   written here: Adobe-GB1 CID font with the GBK-EUC-H
                   encoding, no ToUnicode map and no embedded font (what
                   公文 typesetting exports); only poppler-data maps it
  report-locked.pdf  report.pdf encrypted by qpdf (user password "secret")
  scan.pdf         written here: one page with a drawing and no text
  report.ofd       written here (GB/T 33190 package)
  report.html      written here: the report inside a page with navigation,
                   scripts, styles and a footer, saved as GB2312
  bad-nomain.docx  report.docx without word/document.xml
  bad-xml.docx     report.docx with word/document.xml cut in half
  bad-notdoc.zip   a ZIP of a text file
  bomb.docx        report.docx whose document.xml carries an 8 MiB comment
                   (8 KiB compressed): refused under a 1 MiB inflation cap
  sheet.xls        an OLE2 file holding a "Workbook" stream and no Word
                   document, made by gsf (Debian libgsf-bin)
  locked.docx      an OLE2 file holding the streams Office writes for a
                   password-protected .docx (EncryptionInfo, then the
                   EncryptedPackage), made by gsf; their contents are
                   placeholders: only the container's shape is read
  lists.docx       written here: automatic numbering on paragraphs and
                   through heading styles, nine levels in the formats of a
                   公文 outline (一、 （一） 1. （1） ① a) …), counts past ten,
                   levels restarting under a higher one, a second list, a
                   third started at 5 by an override, a bullet list, numbering
                   switched off on a numbered style
  lists.txt        the text lists.docx must give, numbers as Word shows
                   them (the generator's own count, not a reader's)
  lists.doc        lists.docx converted by LibreOffice: the numbers are then
                   only in the LST/LFO tables and the paragraphs' PAPX
  textbox.doc      textbox.fodt (written here: two text frames of which one
                   holds two paragraphs, a footnote) converted by
                   LibreOffice, which writes the frames' text as the text box
                   story of a Word 97 file
  textbox.txt      the text textbox.doc must give: the body with each text
                   box after the paragraph holding its anchor (LibreOffice
                   reads the frames back there too), then the footnote
  wide.doc         wide.fodt (written here: a table of two rows of 60
                   cells) converted by LibreOffice: each row's properties
                   (the 60 cells' widths) are too large for a property page,
                   and are written to the Data stream (sprmPHugePapx)

The .doc fixtures need LibreOffice (Debian libreoffice-writer-nogui), the
others only the Python standard library; --no-soffice leaves them as they
are.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
OUT = os.path.join(ROOT, "tests", "data", "formats")
SOURCE = os.path.join(ROOT, "corpus", "000_c510bc378b158120.txt")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def corpus_lines():
    with open(SOURCE, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip()]


# ---------------------------------------------------------------- DOCX ----

def run(text):
    return '<w:r><w:t xml:space="preserve">%s</w:t></w:r>' % esc(text)


def para(body, style=None):
    ppr = '<w:pPr><w:pStyle w:val="%s"/></w:pPr>' % style if style else ""
    return "<w:p>%s%s</w:p>" % (ppr, body)


TABLE = [["问题", "整改时限"], ["认识程度有待加深", "2023年6月"]]
TEXT_BOX = "守土有责、守土负责、守土尽责"
FOOTNOTE = "《**局意识形态工作责任制实施细则》于2022年3月印发。"


def table_xml():
    rows = []
    for r, row in enumerate(TABLE):
        cells = []
        for c, text in enumerate(row):
            if r == 0 and c == 1:  # a cell of two paragraphs
                inner = para(run("整改")) + para(run("时限"))
            else:
                inner = para(run(text))
            cells.append('<w:tc><w:tcPr><w:tcW w:w="4000" w:type="dxa"/>'
                         '</w:tcPr>%s</w:tc>' % inner)
        rows.append("<w:tr>%s</w:tr>" % "".join(cells))
    return ('<w:tbl><w:tblPr><w:tblW w:w="8000" w:type="dxa"/></w:tblPr>'
            '<w:tblGrid><w:gridCol w:w="4000"/><w:gridCol w:w="4000"/>'
            '</w:tblGrid>%s</w:tbl>' % "".join(rows))


def text_box_xml():
    content = '<w:txbxContent>%s</w:txbxContent>' % para(run(TEXT_BOX))
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" '
        'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" '
        'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset>'
        '</wp:positionH><wp:positionV relativeFrom="paragraph">'
        '<wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="3000000" cy="400000"/><wp:effectExtent l="0" t="0" '
        'r="0" b="0"/><wp:wrapTopAndBottom/><wp:docPr id="1" name="文本框 1"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="http://'
        'schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" '
        'y="0"/><a:ext cx="3000000" cy="400000"/></a:xfrm><a:prstGeom '
        'prst="rect"><a:avLst/></a:prstGeom></wps:spPr><wps:txbx>%s'
        '</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic>'
        '</wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
        '<v:shape id="tb1" style="width:236pt;height:31pt" '
        'type="#_x0000_t202"><v:textbox>%s</v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>' % (content, content))


def field(instr, result):
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve">%s</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>%s'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>' % (esc(instr),
                                                            run(result)))


def docx_body(lines, tracked):
    """The body XML and the expected paragraphs."""
    body, expected = [], []
    for i, line in enumerate(lines):
        if line[:2] in ("一、", "二、", "三、"):
            body.append(para(run(line[2:]), "1"))
            expected.append(line)
        elif line.startswith("（") and line[2] == "）":
            ref = ('<w:r><w:rPr><w:rStyle w:val="a5"/></w:rPr>'
                   '<w:footnoteReference w:id="1"/></w:r>'
                   if line.startswith("（一）加强") else "")
            body.append(para(run(line[3:]) + ref, "2"))
            expected.append(line)
        elif i == 0:
            # 2022 as a field's result; 次要 deleted, 重要 inserted
            cut = line.index("重要")
            changes = tracked and (
                '<w:del w:id="11" w:author="审核" w:date="2023-01-05T10:00:00Z">'
                '<w:r><w:delText>次要</w:delText></w:r></w:del>'
                '<w:ins w:id="12" w:author="审核" w:date="2023-01-05T10:00:00Z">'
                + run("重要") + '</w:ins>')
            body.append(para(
                field(' HYPERLINK "http://www.example.gov.cn/" ', line[:4]) +
                run(line[4:cut]) + (changes or run("重要")) +
                run(line[cut + 2:])))
            expected.append(line)
        elif line.startswith("在今后的工作中"):
            body.append(para(run(line) + text_box_xml()))
            expected.append(line)
            expected.append(TEXT_BOX)
        else:
            body.append(para(run(line)))
            expected.append(line)
        if line.startswith("四是"):
            body.append(table_xml())
            expected += ["问题", "整改 时限", TABLE[1][0], TABLE[1][1]]
    expected.append(FOOTNOTE)
    return "".join(body), expected


NS = ('xmlns:w="%s" xmlns:r="http://schemas.openxmlformats.org/'
      'officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
      'wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
      'wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" '
      'mc:Ignorable=""' % W)

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def write_zip(path, files):
    """A ZIP of (name, text) entries, deflated, with a fixed date."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files:
            info = zipfile.ZipInfo(name, (2023, 1, 5, 10, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def write_docx(path, lines, tracked=True):
    body, expected = docx_body(lines, tracked)
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    document = xml + (
        '<w:document %s><w:body>%s<w:sectPr><w:headerReference w:type="default" '
        'r:id="rIdH"/><w:footerReference w:type="default" r:id="rIdF"/>'
        '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" '
        'w:right="1474" w:bottom="1984" w:left="1588" w:header="851" '
        'w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>'
        % (NS, body))
    styles = xml + (
        '<w:styles xmlns:w="%s">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="a">'
        '<w:name w:val="Normal"/><w:pPr><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:eastAsia="WenQuanYi Micro Hei"/>'
        '<w:sz w:val="32"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
        '<w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/>'
        '<w:basedOn w:val="a"/><w:pPr><w:numPr><w:ilvl w:val="1"/>'
        '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="character" w:styleId="a5"><w:name w:val="footnote reference"/>'
        '<w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="a6"><w:name w:val="footnote text"/>'
        '<w:basedOn w:val="a"/><w:rPr><w:sz w:val="18"/></w:rPr></w:style>'
        '</w:styles>' % W)
    numbering = xml + (
        '<w:numbering xmlns:w="%s"><w:abstractNum w:abstractNumId="0">'
        '<w:multiLevelType w:val="multilevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%%1、"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%%2）"/><w:lvlJc w:val="left"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:lvlText w:val="%%3."/><w:lvlJc w:val="left"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '</w:numbering>' % W)
    footnotes = xml + (
        '<w:footnotes xmlns:w="%s">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        '<w:continuationSeparator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="a6"/></w:pPr>'
        '<w:r><w:footnoteRef/></w:r>%s</w:p></w:footnote>'
        '</w:footnotes>' % (W, run(FOOTNOTE)))
    header = xml + '<w:hdr xmlns:w="%s">%s</w:hdr>' % (W, para(run("**局文件")))
    footer = xml + ('<w:ftr xmlns:w="%s"><w:p><w:pPr><w:jc w:val="center"/></w:pPr>'
                    '%s%s%s</w:p></w:ftr>' % (W, run("— "), field(" PAGE ", "1"),
                                             run(" —")))
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    write_package(path, document, styles, numbering, [
        ("footnotes.xml", footnotes, ct + "footnotes+xml", "footnotes", "rId3"),
        ("header1.xml", header, ct + "header+xml", "header", "rIdH"),
        ("footer1.xml", footer, ct + "footer+xml", "footer", "rIdF")])
    return expected


# --------------------------------------------------------------- lists ----

# (numId, ilvl, the number Word shows, text); numId None: a plain
# paragraph; style "H1"/"H2": numbered through the style.
LIST_LEVELS = [  # numFmt, lvlText of abstractNum 0, a 公文 outline
    ("chineseCounting", "%1、"), ("chineseCounting", "（%2）"),
    ("decimal", "%3."), ("decimal", "（%4）"),
    ("decimalEnclosedCircle", "%5"), ("lowerLetter", "%6)"),
    ("upperRoman", "%7."), ("lowerRoman", "%8."), ("decimal", "%3.%9")]


def lists_paragraphs():
    """The paragraphs of lists.docx and the number each shows."""
    out = [(None, None, "", "关于列表编号的测试报告", None)]
    h = lambda n, text: ("H1", 0, n, text, None)
    out += [h("一、", "总体情况"),
            (1, 1, "（一）", "基本情况", None),
            (1, 2, "1.", "第一项", None),
            (1, 3, "（1）", "细项", None),
            (1, 4, "①", "要点", None),
            (1, 5, "a)", "子要点", None),
            (1, 5, "b)", "子要点", None),
            (1, 6, "I.", "罗马数字", None),
            (1, 7, "i.", "小写罗马数字", None),
            (1, 8, "1.1", "两级编号", None),
            (1, 2, "2.", "第二项", None),
            (1, 3, "（1）", "下级重新计数", None),
            (1, 1, "（二）", "第二部分", None),
            (1, 2, "1.", "下级重新计数", None),
            (None, None, "", "这是一个没有编号的正文段落。", None),
            ("H2", 1, "（三）", "标题样式带来的编号", None),
            ("H1", 0, "", "编号被关闭的标题", "off")]
    chinese = ["二", "三", "四", "五", "六", "七", "八", "九", "十", "十一",
               "十二"]
    out += [h(c + "、", "第%s部分" % c) for c in chinese]
    out += [(2, 0, "%d." % i, "另一个列表第%d项" % i, None) for i in (1, 2, 3)]
    # one paragraph: LibreOffice's .doc export gives the override its own
    # list, so a second paragraph would count from 1 in the .doc
    out += [(3, 0, "5.", "从五开始的列表", None)]
    out += [(4, 0, "", "项目符号不显示编号", None),
            (4, 0, "", "项目符号第二项", None)]
    return out


def write_lists_docx(path):
    body, expected = [], []
    for num, ilvl, number, text, flag in lists_paragraphs():
        if num in ("H1", "H2"):
            ppr = '<w:pStyle w:val="%s"/>' % num
            if flag == "off":
                ppr += '<w:numPr><w:numId w:val="0"/></w:numPr>'
        elif num is not None:
            ppr = ('<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/>'
                   '</w:numPr>' % (ilvl, num))
        else:
            ppr = ""
        body.append("<w:p>%s%s</w:p>" % (
            "<w:pPr>%s</w:pPr>" % ppr if ppr else "", run(text)))
        expected.append(number + text)
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    document = xml + ('<w:document xmlns:w="%s"><w:body>%s<w:sectPr>'
                      '<w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>'
                      '</w:document>' % (W, "".join(body)))
    styles = xml + (
        '<w:styles xmlns:w="%s">'
        '<w:style w:type="paragraph" w:default="1" w:styleId="a">'
        '<w:name w:val="Normal"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
        '<w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr>'
        '<w:outlineLvl w:val="0"/></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="H2"><w:name w:val="heading 2"/>'
        '<w:basedOn w:val="a"/><w:pPr><w:numPr><w:ilvl w:val="1"/>'
        '<w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr>'
        '</w:style></w:styles>' % W)
    levels = "".join(
        '<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="%s"/>'
        '<w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:pPr><w:ind '
        'w:left="%d" w:hanging="360"/></w:pPr></w:lvl>'
        % (i, fmt, text, 420 * (i + 1))
        for i, (fmt, text) in enumerate(LIST_LEVELS))
    simple = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
              '<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind '
              'w:left="420" w:hanging="420"/></w:pPr></w:lvl>')
    bullet = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
              '<w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/><w:pPr><w:ind '
              'w:left="420" w:hanging="420"/></w:pPr></w:lvl>')
    numbering = xml + (
        '<w:numbering xmlns:w="%s">'
        '<w:abstractNum w:abstractNumId="0"><w:multiLevelType '
        'w:val="multilevel"/>%s</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="1"><w:multiLevelType '
        'w:val="hybridMultilevel"/>%s</w:abstractNum>'
        '<w:abstractNum w:abstractNumId="2"><w:multiLevelType '
        'w:val="hybridMultilevel"/>%s</w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride '
        'w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
        '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
        '</w:numbering>' % (W, levels, simple, bullet))
    write_package(path, document, styles, numbering)
    return expected


def write_package(path, document, styles, numbering, extra=()):
    """A word-processing package: the main part, its styles and numbering,
    and extra parts (name in word/, text, content type, relationship type,
    relationship id)."""
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml."
    content_types = xml + (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" ContentType="%sdocument.main+xml"/>'
        '<Override PartName="/word/styles.xml" ContentType="%sstyles+xml"/>'
        '<Override PartName="/word/numbering.xml" ContentType="%snumbering+xml"/>'
        '%s</Types>' % (ct, ct, ct, "".join(
            '<Override PartName="/word/%s" ContentType="%s"/>' % (e[0], e[2])
            for e in extra)))
    rels = xml + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%sofficeDocument" Target="word/document.xml"/>'
        '</Relationships>' % REL)
    doc_rels = xml + (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="%sstyles" Target="styles.xml"/>'
        '<Relationship Id="rId2" Type="%snumbering" Target="numbering.xml"/>'
        '%s</Relationships>' % (REL, REL, "".join(
            '<Relationship Id="%s" Type="%s%s" Target="%s"/>'
            % (e[4], REL, e[3], e[0]) for e in extra)))
    write_zip(path, [("[Content_Types].xml", content_types),
                     ("_rels/.rels", rels),
                     ("word/_rels/document.xml.rels", doc_rels),
                     ("word/document.xml", document),
                     ("word/styles.xml", styles),
                     ("word/numbering.xml", numbering)] +
              [("word/" + e[0], e[1]) for e in extra])


# ----------------------------------------------------------------- PDF ----

def pdf_file(objects):
    """A PDF from object bodies (bytes), numbered from 1; catalog is 1."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def stream(data):
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def paginate(lines, per_line, per_page):
    """Paragraphs set as a typesetter does: two ideographic spaces of indent,
    per_line characters a line, per_page lines a page."""
    rows = []
    for line in lines:
        text = "　　" + line
        while text:
            rows.append(text[:per_line])
            text = text[per_line:]
    return [rows[i:i + per_page] for i in range(0, len(rows), per_page)]


def write_gbk_pdf(path, lines):
    """A4 pages, 16 pt type, 28 characters a line, two-character indents,
    a page number at the foot of each page: the shape of a typeset report."""
    size, top, left, leading = 16, 780, 80, 28
    pages = paginate(lines, 28, 24)
    objects = [None, None]  # catalog, pages: filled below
    font = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                   b"/Encoding /GBK-EUC-H /DescendantFonts [%d 0 R] >>" % (font + 1))
    objects.append(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                   b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) "
                   b"/Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 >>" % (font + 2))
    objects.append(b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                   b"/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 "
                   b"/Descent -120 /CapHeight 880 /StemV 93 >>")
    kids = []
    for n, page in enumerate(pages, 1):
        ops = [b"BT /F1 %d Tf" % size]
        for i, row in enumerate(page):
            hexs = row.encode("gbk").hex().encode()
            ops.append(b"1 0 0 1 %d %d Tm <%s> Tj" % (left, top - i * leading, hexs))
        number = ("—%s—" % chr(0xFF10 + n)).encode("gbk").hex().encode()
        ops.append(b"1 0 0 1 280 60 Tm <%s> Tj ET" % number)
        content = stream(b"\n".join(ops))
        objects.append(content)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                       % (font, len(objects)))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    with open(path, "wb") as f:
        f.write(pdf_file(objects))


def write_scan_pdf(path):
    drawing = stream(b"0.5 g 72 72 451 698 re f 0 g 100 700 m 500 700 l S")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", drawing,
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
               b"/Contents 3 0 R >>"]
    with open(path, "wb") as f:
        f.write(pdf_file(objects))


# ----------------------------------------------------------------- OFD ----

def write_ofd(path, lines):
    size, left, top, leading = 4.2, 25.0, 30.0, 7.0
    pages = paginate(lines, 36, 33)
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    xml = '<?xml version="1.0" encoding="UTF-8"?>\n'
    files = [("OFD.xml", xml + (
        '<ofd:OFD %s Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
        '<ofd:DocID>gongwen-fixture</ofd:DocID></ofd:DocInfo>'
        '<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>'
        % ns))]
    page_refs = "".join('<ofd:Page ID="%d" BaseLoc="Pages/Page_%d/Content.xml"/>'
                        % (10 + i, i) for i in range(len(pages)))
    files.append(("Doc_0/Document.xml", xml + (
        '<ofd:Document %s><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>'
        '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>'
        '</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes>'
        '</ofd:CommonData><ofd:Pages>%s</ofd:Pages></ofd:Document>'
        % (ns, page_refs))))
    files.append(("Doc_0/PublicRes.xml", xml + (
        '<ofd:Res %s BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="宋体" '
        'FamilyName="宋体"/></ofd:Fonts></ofd:Res>' % ns)))
    uid = 100
    for p, page in enumerate(pages):
        objs = []
        # written bottom-up, and the page number first: order comes from
        # positions, not from the file
        items = [(150 * 1.0 / 1.0, "- %d -" % (p + 1), 100.0, 280.0)]
        for i, row in enumerate(page):
            items.append((0, row, left, top + i * leading))
        for _, text, x, y in reversed(items):
            uid += 1
            width = size * len(text)
            objs.append(
                '<ofd:TextObject ID="%d" Boundary="%.2f %.2f %.2f %.2f" Font="2" '
                'Size="%.1f"><ofd:TextCode X="0" Y="%.2f" DeltaX="g %d %.1f">%s'
                '</ofd:TextCode></ofd:TextObject>'
                % (uid, x, y - size, width, size * 1.4, size, size,
                   max(len(text) - 1, 1), size, esc(text)))
        files.append(("Doc_0/Pages/Page_%d/Content.xml" % p, xml + (
            '<ofd:Page %s><ofd:Content><ofd:Layer ID="%d">%s</ofd:Layer>'
            '</ofd:Content></ofd:Page>' % (ns, 50 + p, "".join(objs)))))
    write_zip(path, files)


# ---------------------------------------------------------------- HTML ----

def write_html(path, lines):
    parts = []
    for line in lines:
        if line[:2] in ("一、", "二、", "三、"):
            parts.append("<h2>%s</h2>" % esc(line))
        elif line.startswith("（") and line[2] == "）":
            head, _, rest = line.partition("。")
            parts.append("<p><strong>%s。</strong>%s</p>" % (esc(head), esc(rest)))
        else:
            parts.append("<p>\n  %s\n</p>" % esc(line))
    page = (
        '<!DOCTYPE html>\n<html><head><meta http-equiv="Content-Type" '
        'content="text/html; charset=gb2312"><title>自查报告_范文网</title>'
        '<style>p { text-indent: 2em }</style><script>var ad = "广告";'
        '</script></head><body><nav><a href="/">首页</a> &gt; <a href="/fw/">'
        '范文</a></nav><header>范文网 - 免费范文下载</header><main><article>'
        '%s</article></main><aside>热门文章：<a href="#">述职报告</a></aside>'
        '<footer>Copyright 范文网 版权所有</footer><script>track();</script>'
        '</body></html>\n' % "\n".join(parts))
    with open(path, "wb") as f:
        f.write(page.encode("gb2312"))


# ---------------------------------------------------------------- main ----

def rewrite_zip(src, dst, change):
    """Copy a ZIP entry by entry; change(name, data) gives new data or None
    to leave the entry out."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w",
                                                    zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = change(info.filename, z.read(info.filename))
            if data is not None:
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data)


def write_bad(docx):
    rewrite_zip(docx, os.path.join(OUT, "bad-nomain.docx"),
                lambda n, d: None if n == "word/document.xml" else d)
    rewrite_zip(docx, os.path.join(OUT, "bad-xml.docx"),
                lambda n, d: d[:len(d) // 2] if n == "word/document.xml" else d)
    rewrite_zip(docx, os.path.join(OUT, "bomb.docx"),
                lambda n, d: d.replace(b"<w:body>", b"<w:body><!--" +
                                       b" " * (8 << 20) + b"-->")
                if n == "word/document.xml" else d)
    with zipfile.ZipFile(os.path.join(OUT, "bad-notdoc.zip"), "w") as z:
        info = zipfile.ZipInfo("notes.txt", (2023, 1, 5, 10, 0, 0))
        z.writestr(info, "这是一个压缩包，不是文档。\n".encode("utf-8"))


# ------------------------------------------------------------- text box ----

TEXTBOX_BODY = [
    "关于落实意识形态工作责任制的自查报告",
    "一年来，我局认真落实意识形态工作责任制。",
    "下一步，我们将进一步压实责任。",
    "特此报告。",
]
TEXTBOX_FRAMES = {1: [TEXT_BOX, "框内第二段：一岗双责"], 2: ["第二个文本框"]}
TEXTBOX_NOTE = "脚注：据年度考核结果。"


def write_textbox_fodt(path):
    """A document with text frames and a footnote; returns the text the
    .doc LibreOffice makes of it must give: the body with each frame's text
    after the paragraph it is anchored in, then the footnote."""
    body = []
    for i, text in enumerate(TEXTBOX_BODY):
        extra = ""
        if i in TEXTBOX_FRAMES:
            inner = "".join("<text:p>%s</text:p>" % esc(t)
                            for t in TEXTBOX_FRAMES[i])
            extra += ('<draw:frame draw:name="框%d" text:anchor-type="paragraph" '
                      'svg:width="8cm" svg:height="2cm"><draw:text-box>%s'
                      '</draw:text-box></draw:frame>' % (i, inner))
        if i == 2:
            extra += ('<text:note text:note-class="footnote"><text:note-citation>'
                      '1</text:note-citation><text:note-body><text:p>%s</text:p>'
                      '</text:note-body></text:note>' % esc(TEXTBOX_NOTE))
        body.append("<text:p>%s%s</text:p>" % (esc(text), extra))
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
            'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
            'office:version="1.3" office:mimetype='
            '"application/vnd.oasis.opendocument.text"><office:body>'
            '<office:text>%s</office:text></office:body></office:document>\n'
            % "".join(body))
    expected = []
    for i, text in enumerate(TEXTBOX_BODY):
        expected += [text] + TEXTBOX_FRAMES.get(i, [])
    return expected + [TEXTBOX_NOTE]


def write_locked_docx(tmp):
    """An encrypted OOXML package as Office stores it: an OLE2 compound
    file, not a ZIP (the streams' contents are placeholders)."""
    folder = os.path.join(tmp, "locked")
    os.makedirs(folder)
    with open(os.path.join(folder, "EncryptionInfo"), "wb") as f:
        f.write(b"\x04\x00\x04\x00\x40\x00\x00\x00" + b"\x00" * 56)
    with open(os.path.join(folder, "EncryptedPackage"), "wb") as f:
        f.write(b"\x00\x10\x00\x00\x00\x00\x00\x00" + bytes(range(256)) * 16)
    subprocess.run(["gsf", "createole", os.path.join(OUT, "locked.docx"),
                    "EncryptionInfo", "EncryptedPackage"], cwd=folder,
                   check=True, stdout=subprocess.DEVNULL)


WIDE_COLUMNS = 60


def write_wide_fodt(path):
    """A table too wide for Word's property pages; returns its text."""
    cells = "".join('<table:table-cell><text:p>格%d</text:p></table:table-cell>'
                    % i for i in range(WIDE_COLUMNS))
    rows = "".join("<table:table-row>%s</table:table-row>" % cells
                   for _ in range(2))
    with open(path, "w", encoding="utf-8") as f:
        f.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<office:document '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'office:version="1.3" office:mimetype='
            '"application/vnd.oasis.opendocument.text"><office:body>'
            '<office:text><text:p>表前</text:p><table:table table:name="T1">'
            '<table:table-column table:number-columns-repeated="%d"/>%s'
            '</table:table><text:p>表后</text:p></office:text></office:body>'
            '</office:document>\n' % (WIDE_COLUMNS, rows))
    return (["表前"] + ["格%d" % i for i in range(WIDE_COLUMNS)] * 2
            + ["表后"])


def soffice(src, fmt, outdir):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["soffice", "-env:UserInstallation=file://" + profile,
                        "--headless", "--convert-to", fmt, "--outdir", outdir,
                        src], check=True, stdout=subprocess.DEVNULL)


def main():
    lines = corpus_lines()
    expected = write_docx(os.path.join(OUT, "report.docx"), lines)
    with open(os.path.join(OUT, "report.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(expected) + "\n")
    write_gbk_pdf(os.path.join(OUT, "report-gbk.pdf"), lines)
    write_scan_pdf(os.path.join(OUT, "scan.pdf"))
    write_ofd(os.path.join(OUT, "report.ofd"), lines)
    write_html(os.path.join(OUT, "report.html"), lines)
    write_bad(os.path.join(OUT, "report.docx"))
    expected = write_lists_docx(os.path.join(OUT, "lists.docx"))
    with open(os.path.join(OUT, "lists.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(expected) + "\n")
    with tempfile.TemporaryDirectory() as tmp:
        expected = write_textbox_fodt(os.path.join(tmp, "textbox.fodt"))
        with open(os.path.join(OUT, "textbox.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(expected) + "\n")
        if "--no-soffice" not in sys.argv:
            soffice(os.path.join(tmp, "textbox.fodt"), "doc:MS Word 97", tmp)
            shutil.copy(os.path.join(tmp, "textbox.doc"), OUT)
            write_wide_fodt(os.path.join(tmp, "wide.fodt"))
            soffice(os.path.join(tmp, "wide.fodt"), "doc:MS Word 97", tmp)
            shutil.copy(os.path.join(tmp, "wide.doc"), OUT)
    if "--no-soffice" not in sys.argv:
        with tempfile.TemporaryDirectory() as tmp:
            # LibreOffice shows tracked deletions in the PDF it exports: its
            # source has the changes accepted; the .doc keeps them as
            # revision marks
            src = os.path.join(tmp, "report.docx")
            write_docx(src, lines, tracked=False)
            soffice(src, "pdf:writer_pdf_Export", tmp)
            soffice(os.path.join(OUT, "report.docx"), "doc:MS Word 97", tmp)
            soffice(os.path.join(OUT, "lists.docx"), "doc:MS Word 97", tmp)
            shutil.copy(os.path.join(tmp, "lists.doc"), OUT)
            with open(os.path.join(tmp, "Workbook"), "w", encoding="utf-8") as f:
                f.write("单位,得分\n**局,95\n")
            subprocess.run(["gsf", "createole", os.path.join(OUT, "sheet.xls"),
                            "Workbook"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            write_locked_docx(tmp)
            shutil.copy(os.path.join(tmp, "report.doc"), OUT)
            shutil.copy(os.path.join(tmp, "report.pdf"), OUT)
        subprocess.run(["qpdf", "--encrypt", "secret", "owner", "256", "--",
                        os.path.join(OUT, "report.pdf"),
                        os.path.join(OUT, "report-locked.pdf")], check=True)


if __name__ == "__main__":
    main()
