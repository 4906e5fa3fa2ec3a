#!/usr/bin/env bash
# Regenerates the seed corpora under corpus/ from the repository's corpus/
# and dict/ (run by hand; the committed seeds are what the tests use).
# Seeds stay small (a few KB): libFuzzer's default input length follows them.
# usage: tests/fuzz/make_seeds.sh   (from anywhere)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$here/corpus
rm -rf "$out"
mkdir -p "$out"/{pipeline,terms_parse,noise_parse,terms_match,dups,user_dict}

# The first whole lines of a file, up to about N bytes.
lines_upto() { LC_ALL=C awk -v max="$2" '{ n += length($0) + 1; if (n > max && NR > 1) exit; print }' "$1"; }
reports=("$root"/corpus/[0-9]*.txt)

# pipeline: the head of each report, one in each encoding and line-end form
# the decoder knows, and hand-made scraping and PDF noise.
for i in "${!reports[@]}"; do
  lines_upto "${reports[$i]}" 1500 > "$out/pipeline/report$i.txt"
done
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$out/pipeline/report0.txt"; } > "$out/pipeline/utf8_bom_crlf.txt"
{ printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$out/pipeline/report1.txt"; } > "$out/pipeline/utf16le.txt"
{ printf '\xfe\xff'; iconv -f UTF-8 -t UTF-16BE "$out/pipeline/report2.txt"; } > "$out/pipeline/utf16be.txt"
iconv -f UTF-8 -t GB18030 "$out/pipeline/report3.txt" > "$out/pipeline/gb18030.txt"
cat > "$out/pipeline/scraped.txt" <<'TEXT'
**局2023年上半年工作总结
##paidbegin##一、工作开展情况
（一）加强组织领导。一是落实一岗双责，二是压实
责任，三是开展xx次专题学习，x篇心得体会。
【哒哒素材库】更多范文请关注
1.健全制度。落实意识形态工作责任制 ，坚持“三会一课”。
（1）全面贯彻习近平新时代中国特色社会主义思想。
—1—
　　二、存在的问题　
 學習貫徹黨的二十大精神不夠深入，守土有責、守土負責、守土盡責。
第3页
落实(luò)责(zé)任 ２０２３年１０月，ＡＢＣ％ ××单位 ***
- 2 -
三、下一步工作打算##paidend##
😀 � 
TEXT
printf 'a\xe5\xe4\xb8\n\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 \xff' > "$out/pipeline/invalid_utf8.txt"

# terms_parse: the shipped dictionary, and small files of each column's forms.
cp "$root/dict/terms.tsv" "$out/terms_parse/terms.tsv"
printf '同部署、同落实、同检查、同考核\t提法口号\t同部署同落实同检查同考核||\t\t\t\n党的二十大精神\t会议精神\t二十大精神\t2022\t\t\n党的十九大精神\t会议精神\t十九大精神|“十九大”精神\t2017\t党的二十大精神\t说明\n' > "$out/terms_parse/formulations.tsv"
printf '\xef\xbb\xbf# comment\r\n一岗双责\t制度机制\r\n\r\n《学习强国》\t学习平台活动\t学习强国|“学习强国”学习平台\t2019\t\t\r\n' > "$out/terms_parse/bom_crlf.tsv"
printf '三个代表重要思想\t理论\t\t2000\t科学发展观\t\n科学发展观\t理论\t\t2003\t\t\n' > "$out/terms_parse/superseded.tsv"

# noise_parse: the shipped patterns, and patterns followed by text holding them.
cp "$root/dict/noise.txt" "$out/noise_parse/noise.txt"
printf 'span\t##paidbegin##\nline\t哒哒素材库\n# text\n正文##paidbegin##内容\n【哒哒素材库】广告\n' > "$out/noise_parse/patterns_and_text.txt"

# terms_match: formulations written whole, broken and outdated.
cat > "$out/terms_match/formulations.txt" <<'TEXT'
2023年意识形态工作责任制落实情况的报告
2023年以来，我局深入学习贯彻党的十九大精神和党的二十大精神。
一、工作开展情况
坚持同部署、同落实、同考核，落实一岗双责，守土有责、守土负责。
重大事情亲自处置，网络意识形态工作责任制，意识形态工作。
TEXT

# dups: two and three documents separated by form feeds, sharing passages.
{ lines_upto "${reports[0]}" 1200; printf '\f'; lines_upto "${reports[1]}" 600; lines_upto "${reports[0]}" 600; } > "$out/dups/two_shared.txt"
{ printf '一、工作开展情况\n我单位认真落实意识形态工作责任制，定期研究部署。\n'; printf '\f';
  printf '我局认真落实意识形态工作责任制，定期研究部署，取得实效。\n'; printf '\f';
  printf '**局认真落实意识形态工作责任制，定期研究部署。\n其他内容。\n'; } > "$out/dups/three_edited.txt"

# user_dict: jieba-format lines from the lexicon, and the forms a line takes.
grep -v '^#' "$root/dict/lexicon.txt" | head -n 40 > "$out/user_dict/lexicon.txt"
printf '\xef\xbb\xbf# user words\r\n意识形态工作责任制 100 n\r\n一岗双责\n三会一课 3\n\n  守土有责\t5\tv  \n' > "$out/user_dict/forms.txt"
