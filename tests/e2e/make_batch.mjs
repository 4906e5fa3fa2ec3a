// A batch of N reports for the open-time measurement, made from corpus/
// alone (the suite needs nothing outside the repository):
//   node make_batch.mjs OUT_DIR N
// OUT_DIR/docs/单位NNNN/report.txt, one folder per unit.  Each report has a
// title, paragraphs of its own (characters drawn at random from the seed
// reports, so that no two share a run of 13 by chance) and copied ones:
// rings of 3-6 units sharing two paragraphs, and one paragraph of the seed
// reports (a template) in every 50th report.  Deterministic.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [outDir, countArg] = process.argv.slice(2);
const count = Number(countArg);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const seeds = fs.readdirSync(path.join(root, 'corpus')).filter((f) => f.endsWith('.txt')).sort()
  .map((f) => fs.readFileSync(path.join(root, 'corpus', f), 'utf8'));
const paragraphs = seeds.flatMap((t) => t.split(/\r?\n/)).map((l) => l.trim()).filter((l) => [...l].length >= 40);
const han = [...new Set(seeds.join('').match(/[\u4e00-\u9fff]/g))].sort();

let state = 12345; // mulberry32
function next() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (list) => list[Math.floor(next() * list.length)];
function ownParagraph() {
  let s = '';
  const n = 60 + Math.floor(next() * 120);
  for (let i = 1; i <= n; i++) s += pick(han) + (i % (9 + Math.floor(next() * 9)) === 0 ? pick(['，', '，', '。', '；']) : '');
  return s + '。';
}

const ringOf = [];
for (let i = 0; i < count;) {
  const size = 3 + Math.floor(next() * 4);
  const shared = [ownParagraph(), ownParagraph()];
  for (let k = 0; k < size && i < count; k++, i++) ringOf.push(shared);
}
const template = paragraphs[0];
fs.rmSync(outDir, { recursive: true, force: true });
for (let i = 0; i < count; i++) {
  const unit = `单位${String(i + 1).padStart(4, '0')}`;
  const lines = [`${unit}2023年工作总结`]; // titles share no run of 13
  for (let p = 0; p < 8; p++) lines.push(ownParagraph());
  if (i % 3 !== 2) lines.splice(2, 0, ringOf[i][0]);
  if (i % 2 === 0) lines.splice(5, 0, ringOf[i][1]);
  if (i % 50 === 0) lines.splice(7, 0, template);
  fs.mkdirSync(path.join(outDir, 'docs', unit), { recursive: true });
  fs.writeFileSync(path.join(outDir, 'docs', unit, 'report.txt'), lines.join('\n') + '\n');
}
