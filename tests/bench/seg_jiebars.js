#!/usr/bin/env node
// Segment a file line by line with jieba-rs (npm @node-rs/jieba), run by hand.
//
// Usage: node seg_jiebars.js [--no-hmm] [--time] INPUT [OUTPUT]
//
// INPUT may be a folder: its files, in byte order of their names, one after
// the other (read one at a time, as gw-seg reads a folder; streaming only).
// Each input line becomes one output line, words joined by single spaces.
// The dictionary is jieba's default one shipped with the package
// (Jieba.withDict(require('@node-rs/jieba/dict').dict); `new Jieba()` would
// have an empty dictionary).  --time prints one JSON line on stderr: load
// time and the segmentation loop alone (output excluded), bytes and tokens.
// Without --time the output is written as it is produced (streaming).
// Install first: (cd tests/bench && npm install).
'use strict';
const fs = require('fs');
const { Jieba } = require('@node-rs/jieba');
const { dict } = require('@node-rs/jieba/dict');

const args = process.argv.slice(2);
let hmm = true, timing = false;
const files = [];
for (const a of args) {
  if (a === '--no-hmm') hmm = false;
  else if (a === '--time') timing = true;
  else files.push(a);
}
if (files.length < 1) {
  process.stderr.write('usage: seg_jiebars.js [--no-hmm] [--time] INPUT [OUTPUT]\n');
  process.exit(2);
}
function readLines(path) {
  const lines = fs.readFileSync(path, 'utf8').split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) lines[i] = lines[i].replace(/\r$/, '');
  return lines;
}
const folder = fs.statSync(files[0]).isDirectory();
if (folder && timing) {
  process.stderr.write('seg_jiebars.js: --time takes a file, not a folder\n');
  process.exit(2);
}
const inputs = folder
  ? fs.readdirSync(files[0]).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
      .map((n) => files[0] + '/' + n).filter((p) => fs.statSync(p).isFile())
  : [files[0]];
const lines = folder ? [] : readLines(files[0]);

const t0 = process.hrtime.bigint();
const jieba = Jieba.withDict(dict);
const t1 = process.hrtime.bigint();

if (!timing) {
  // Streaming: write as we go, so peak memory is the segmenter's own plus
  // the input (what run.sh's peak-RSS row measures).
  const fd = files[1] ? fs.openSync(files[1], 'w') : 1;
  let chunk = [];
  let size = 0;
  for (const input of inputs) {
    for (const l of folder ? readLines(input) : lines) {
      const s = jieba.cut(l, hmm).join(' ') + '\n';
      chunk.push(s);
      size += s.length;
      if (size > (1 << 20)) {
        fs.writeSync(fd, chunk.join(''));
        chunk = [];
        size = 0;
      }
    }
  }
  if (chunk.length) fs.writeSync(fd, chunk.join(''));
  if (files[1]) fs.closeSync(fd);
  process.exit(0);
}

const out = new Array(lines.length);
for (let i = 0; i < lines.length; i++) out[i] = jieba.cut(lines[i], hmm);
const t2 = process.hrtime.bigint();

const parts = [];
for (const ws of out) parts.push(ws.join(' '));
const text = parts.join('\n') + (parts.length ? '\n' : '');
if (files[1]) fs.writeFileSync(files[1], text);
else process.stdout.write(text);
const bytes = fs.statSync(files[0]).size;
let tokens = 0;
for (const ws of out) for (const w of ws) if (w.trim() !== '') tokens++;
process.stderr.write(JSON.stringify({
  peer: 'jieba-rs' + (hmm ? '' : '-nohmm'),
  load_s: Number(t1 - t0) / 1e9, seg_s: Number(t2 - t1) / 1e9,
  bytes, tokens,
}) + '\n');
