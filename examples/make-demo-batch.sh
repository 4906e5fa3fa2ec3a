#!/bin/sh
# make-demo-batch.sh OUT — a DEMONSTRATION batch built from the five real
# reports of corpus/, to show what copying looks like to gongwen.  The
# reports it writes are NOT real submissions: they are corpus/ texts cut,
# joined and renamed by the fixed recipe below, so that the output of
# gw-stats, gw-report and gw-archive has something to find.  Nothing is
# written by hand; run it again and the same bytes come out.
#
#   OUT/2023/县市场监管局/report.txt  corpus/004 as it is (last year's report)
#   OUT/2024/<unit>/report.txt   this year's batch of ten units:
#     six units (财政局 … 商务局) hand in corpus/003, a 范文 from a
#       material-sharing site, each with its unit name put in and one
#       paragraph in seven left out (a different one per unit);
#     县市场监管局 hands in its 2023 report again, 2023 changed to 2024
#       and 第三季度 to 第一季度;
#     县统计局 writes corpus/000 and pastes in two paragraphs of corpus/001;
#     县审计局 and 县档案局 hand in corpus/001 and corpus/002 as they are.
#   OUT/meta.tsv  path, unit, year, title for --meta (run from OUT).
set -eu
if [ $# -ne 1 ]; then
  echo "usage: $0 OUT   (OUT: a folder to create)" >&2
  exit 2
fi
out=$1
corpus=$(cd "$(dirname "$0")/../corpus" && pwd)
if [ -e "$out" ]; then
  echo "$0: $out exists: give a folder that does not exist yet" >&2
  exit 2
fi
mkdir -p "$out/2023/县市场监管局" "$out/2024"

model=$corpus/003_1973e543c9b997a8.txt
printf 'path\tunit\tyear\ttitle\n' > "$out/meta.tsv"
note() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >> "$out/meta.tsv"; }

cp "$corpus/004_c0ae98798d36dd3b.txt" "$out/2023/县市场监管局/report.txt"
note 2023/县市场监管局/report.txt 县市场监管局 2023 2023年第三季度意识形态工作责任制落实情况汇报

skip=1
for unit in 县财政局 县教育局 县农业农村局 县水利局 县住建局 县商务局; do
  mkdir -p "$out/2024/$unit"
  # The unit's own name where the 范文 says only 局党组; paragraph number
  # skip, 7+skip, … left out.
  awk -v skip=$skip 'NR % 7 != skip' "$model" |
    sed "s/局党组/${unit}党组/g" > "$out/2024/$unit/report.txt"
  note "2024/$unit/report.txt" "$unit" 2024 上半年意识形态工作情况报告
  skip=$((skip + 1))
done

mkdir -p "$out/2024/县市场监管局"
sed -e 's/2023/2024/g' -e 's/第三季度/第一季度/g' "$corpus/004_c0ae98798d36dd3b.txt" \
  > "$out/2024/县市场监管局/report.txt"
note 2024/县市场监管局/report.txt 县市场监管局 2024 2024年第一季度意识形态工作责任制落实情况汇报

mkdir -p "$out/2024/县统计局"
# corpus/000's first four lines, then lines 5 and 6 of corpus/001, then the rest.
{
  sed -n '1,4p' "$corpus/000_c510bc378b158120.txt"
  sed -n '5,6p' "$corpus/001_84632f9a43899128.txt"
  sed -n '5,$p' "$corpus/000_c510bc378b158120.txt"
} > "$out/2024/县统计局/report.txt"
note 2024/县统计局/report.txt 县统计局 2024 意识形态工作自查情况报告

mkdir -p "$out/2024/县审计局" "$out/2024/县档案局"
cp "$corpus/001_84632f9a43899128.txt" "$out/2024/县审计局/report.txt"
note 2024/县审计局/report.txt 县审计局 2024 意识形态和网络意识形态工作自查情况的报告
cp "$corpus/002_1aded01d7d411218.txt" "$out/2024/县档案局/report.txt"
note 2024/县档案局/report.txt 县档案局 2024 落实意识形态工作责任制情况的自查报告

cat > "$out/README.txt" <<'NOTE'
A demonstration batch made by examples/make-demo-batch.sh from the real
reports of corpus/ by a fixed recipe (see the script): NOT real submissions.
NOTE
echo "demonstration batch in $out (see $out/README.txt)"
