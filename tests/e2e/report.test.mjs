// gw-report's page in headless Chromium (run by run.sh, which makes the
// pages in GW_E2E_OUT and names the browser in GW_CHROMIUM).  Each check
// compares what the page shows with the data embedded in it, which the
// golden test (tests/golden/report) compares with gw-dups's JSON.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { marker, pageTimes } from './timing.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');

const out = process.env.GW_E2E_OUT;
const page = (name, hash = '') => pathToFileURL(path.join(out, name)).href + hash;
// The page's data: what the first view needs (gw-data), and the parts it
// reads late, one JSON value a line, put back where --format json has them.
const block = (html, id) => {
  const start = html.indexOf(`<script id="${id}" type="`);
  assert.ok(start >= 0, `the page has ${id}`);
  return html.slice(html.indexOf('\n', start) + 1, html.indexOf('</script>', start));
};
const lines = (html, key) => block(html, `gw-late-${key}`).split('\n').filter((l) => l).map((l) => JSON.parse(l));
// Arrays of records are tables in the page ({keys, rows}: each key once),
// written apart from the page's own script that reads them.
const records = (t) => (t && !Array.isArray(t)
  ? t.rows.map((row) => Object.fromEntries(t.keys.map((k, j) => [k, row[j]]))) : t);
const embedded = (file) => {
  const html = fs.readFileSync(file, 'utf8');
  const data = JSON.parse(block(html, 'gw-data'));
  for (const key of ['documents', 'pairs', 'families']) {
    assert.ok(!Array.isArray(data[key]) || !data[key].length, `${key} is a table`);
    data[key] = records(data[key]);
  }
  for (const f of data.families) f.members = records(f.members);
  const parts = Object.fromEntries(['text', 'sources', 'base_sources', 'passages', 'clusters'].map((k) => [k, lines(html, k)]));
  for (const k of ['sources', 'base_sources', 'passages']) parts[k] = parts[k].map(records);
  for (const c of parts.clusters) c.members = records(c.members);
  assert.equal(parts.text.length, data.documents.length);
  assert.equal(parts.passages.length, data.pairs.length);
  data.documents.forEach((d, i) => {
    for (const k of ['sources', 'base_sources', 'text']) {
      assert.ok(!(k in d), `${k} of document ${i} is late`);
      d[k] = parts[k][i];
    }
  });
  data.pairs.forEach((p, k) => { p.passages = parts.passages[k]; });
  data.clusters = parts.clusters;
  return data;
};
const corpus = embedded(path.join(out, 'corpus.html'));
// Where a record stands, as the page writes it: the tools' line and column.
const place = (line, column) => (line ? `第 ${line} 行${column ? `第 ${column} 列` : ''}` : '');
// Each numbered mark of a text box (selector) with its text: its own, its
// nested marks' text included and their badges left out, then that of its
// continuation pieces (the part after a mark it crossed closes).
const markTexts = (p, selector) => p.$$eval(selector, (ms) => {
  const own = (m) => {
    const c = m.cloneNode(true);
    c.querySelectorAll('.pn, .sn').forEach((x) => x.remove());
    return c.textContent;
  };
  return ms.filter((m) => !m.classList.contains('cont')).map((m) => {
    const rest = m.dataset.k == null ? []
      : [...m.closest('.text').querySelectorAll(`mark.cont[data-cont="${m.dataset.k}"]`)];
    const badge = m.querySelector(':scope > .pn, :scope > .sn');
    return { id: m.id, n: Number(m.dataset.n), cls: m.className, title: m.title,
      href: badge?.getAttribute('href') ?? null, badge: badge?.textContent ?? null,
      text: [m, ...rest].map(own).join('') };
  });
});

test('the page holds the data of --format json, in its parts', () => {
  for (const name of ['corpus', 'families', 'draft', 'draft2024', 'nested']) {
    const json = JSON.parse(fs.readFileSync(path.join(out, `${name}.data.json`), 'utf8'));
    assert.deepStrictEqual(embedded(path.join(out, `${name}.html`)), json, name);
  }
});

let context;
let userDir;
const problems = []; // console errors, page errors, network requests

before(async () => {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-e2e-'));
  context = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.GW_CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'], // containers give /dev/shm 64 MB
  });
  // The page is self-contained: anything but the file itself is a defect.
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file://')) return route.continue();
    problems.push(`request: ${url}`);
    return route.abort();
  });
});

after(async () => {
  await context?.close();
  fs.rmSync(userDir, { recursive: true, force: true });
});

async function open(url) {
  const p = await context.newPage();
  p.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await p.goto(url);
  return p;
}

test('the ranking has one row per report, with the figures of the data', async () => {
  const p = await open(page('corpus.html', '#ranking'));
  const rows = await p.$$eval('#ranking tbody tr', (trs) => trs.map((tr) => ({
    doc: Number(tr.dataset.doc),
    ratio: tr.querySelector('td.ratio').dataset.value,
    cells: [...tr.cells].map((c) => c.textContent),
  })));
  assert.equal(rows.length, corpus.documents.length);
  assert.deepEqual(rows.map((r) => r.doc).sort((a, b) => a - b), corpus.documents.map((_, i) => i));
  for (const r of rows) {
    const d = corpus.documents[r.doc];
    assert.equal(Number(r.ratio), d.copy_ratio);
    assert.equal(r.cells[1], d.unit);
    assert.equal(r.cells[4].replace(/,/g, ''), String(d.characters));
    assert.equal(r.cells[5].replace(/,/g, ''), String(d.copied));
    assert.equal(r.cells[6], (d.copy_ratio * 100).toFixed(1) + '%');
    assert.equal(r.cells[12], String(d.passages));
  }
  // first shown by 复制比, highest first
  const ratios = rows.map((r) => Number(r.ratio));
  assert.deepEqual(ratios, [...ratios].sort((a, b) => b - a));
  await p.screenshot({ path: path.join(out, 'ranking.png'), fullPage: true });
  await p.close();
});

test('clicking the 复制比 header sorts the rows by it, both ways', async () => {
  const p = await open(page('corpus.html', '#ranking'));
  const ratios = () => p.$$eval('#ranking tbody td.ratio', (tds) => tds.map((td) => Number(td.dataset.value)));
  const header = p.locator('#ranking th[data-key="copy_ratio"]');
  await header.click();
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  const up = await ratios();
  assert.deepEqual(up, [...up].sort((a, b) => a - b));
  assert.notDeepEqual(up, [...up].sort((a, b) => b - a)); // the click changed the order
  await header.click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  const down = await ratios();
  assert.deepEqual(down, [...down].sort((a, b) => b - a));
  // sorting by another column, then filtering
  await p.locator('#ranking th[data-key="characters"]').click();
  const chars = await p.$$eval('#ranking tbody tr', (trs) => trs.map((tr) => Number(tr.cells[4].textContent.replace(/,/g, ''))));
  assert.deepEqual(chars, [...chars].sort((a, b) => b - a));
  await p.fill('#filter', corpus.documents[0].unit);
  assert.equal(await p.locator('#ranking tbody tr').count(), 1);
  // on paper, where the tools are not printed, the filter and the order are said
  const state = p.locator('#ranking-state');
  assert.equal(await state.isVisible(), false);
  await p.emulateMedia({ media: 'print' });
  assert.equal(await p.locator('#filter').isVisible(), false);
  assert.equal(await state.textContent(),
    `筛选“${corpus.documents[0].unit}”：1 份报告（共 ${corpus.documents.length} 份），按字数从高到低排列。`);
  await p.emulateMedia({ media: 'screen' });
  // the page's CSV holds the rows shown; gw-report's beside the page all
  const [download] = await Promise.all([p.waitForEvent('download'), p.click('#csv-button')]);
  const shown = fs.readFileSync(await download.path(), 'utf8').trim().split('\r\n');
  assert.equal(shown.length, 2);
  const beside = fs.readFileSync(path.join(out, 'corpus.csv'), 'utf8').trim().split('\r\n');
  assert.equal(beside.length, corpus.documents.length + 1);
  assert.equal(shown[0], beside[0]);
  assert.ok(beside.includes(shown[1]), 'the row exported is the row gw-report wrote');
  await p.close();
});

test('a pair shows as many highlighted passages as the data, on both sides, linked', async () => {
  const p = await open(page('corpus.html'));
  for (const [k, pair] of corpus.pairs.entries()) {
    await p.evaluate((h) => { location.hash = h; }, `#pair/${k}`);
    const copies = pair.passages.filter((s) => s.kind === 'copy');
    const official = pair.passages.filter((s) => s.kind !== 'copy');
    for (const side of ['a', 'b']) {
      await p.waitForSelector(`.side-${side}`);
      const marks = (await markTexts(p, `.side-${side} mark`)).filter((m) => /\bcopy\b/.test(m.cls));
      assert.equal(marks.length, copies.length, `pair ${k} side ${side}`);
      assert.equal(await p.locator(`.side-${side} mark.official:not(.cont), .side-${side} mark.base:not(.cont)`).count(), official.length);
      const other = side === 'a' ? 'b' : 'a';
      for (const [j, m] of marks.entries()) {
        const s = copies.find((c) => c.number === m.n);
        assert.ok(s, `mark ${m.n} of pair ${k} is in the data`);
        assert.equal(m.href, `#pair/${k}/${other}${m.n}`);
        assert.equal(await p.locator(`#${other}${m.n}`).count(), 1, 'its counterpart exists');
        const d = corpus.documents[side === 'a' ? pair.a : pair.b];
        assert.equal(m.text, d.text.slice(s[side][0], s[side][1]), `mark ${m.n} of pair ${k} holds the passage's whole text`);
        assert.ok(m.title.includes(`本文${place(s['line_' + side], s['column_' + side])}`), m.title);
      }
    }
    // the table of passages: each one's line and column in both reports
    const table = await p.$$eval('table.passages tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(table, copies.map((s) => [String(s.number), String(s.characters),
      ...['line_a', 'column_a', 'line_b', 'column_b'].map((key) => String(s[key]))]));
    if (copies.length) {
      // the number leads to the counterpart
      await p.click(`#a${copies[0].number} a.pn`);
      await p.waitForSelector(`#b${copies[0].number}.focus`);
    }
  }
  await p.close();
});

test('families: every family with its members and its text from the file', async () => {
  const data = embedded(path.join(out, 'families.html'));
  assert.ok(data.has_families && data.families.length > 0);
  const p = await open(page('families.html', '#families'));
  const families = await p.$$eval('.family', (fs) => fs.map((f) => ({
    members: f.querySelectorAll('.members li').length, text: f.querySelector('blockquote').textContent,
    places: [...f.querySelectorAll('.members li a[href*="/L"]')].map((a) => a.textContent),
  })));
  assert.deepEqual(families, data.families.map((f) => ({ members: f.members.length, text: f.text,
    places: f.members.map((m) => place(m.line, m.column)) })));
  assert.ok(data.families.every((f) => f.members.every((m) => m.line > 0 && m.column > 0)), 'every place has its column');
  // the ranking shows the template share the data gives
  await p.evaluate(() => { location.hash = '#ranking'; });
  const template = await p.$$eval('#ranking tbody tr', (trs) => trs.map((tr) => [Number(tr.dataset.doc), tr.cells[7].textContent]));
  // a base document (gw-dups --base) is not a report: not ranked
  assert.equal(template.length, data.documents.filter((d) => !d.is_base).length);
  assert.ok(data.documents.some((d) => d.is_base));
  for (const [doc, shown] of template) assert.equal(shown, (data.documents[doc].template_ratio * 100).toFixed(1) + '%');
  await p.close();
});

test('draft view: broken formulations marked in the text, missing terms listed', async () => {
  const data = embedded(path.join(out, 'draft.html'));
  const g = data.gap;
  assert.ok(g.broken.length > 0 && g.missing.length > 0);
  const p = await open(page('draft.html'));
  await p.waitForSelector('#draft');
  const marks = await p.$$eval('#draft .text mark.broken', (ms) => ms.map((m) => m.textContent));
  assert.equal(marks.length, g.broken.length);
  const text = data.documents[g.draft].text;
  g.broken.forEach((b, k) => assert.ok(marks[k].endsWith(text.slice(b.range[0], b.range[1])), `broken ${k + 1} marked`));
  assert.equal(await p.locator('#draft .text mark.outdated').count(), g.outdated.length);
  assert.equal(await p.locator('#missing tbody tr').count(), g.missing.length);
  await p.click('#findings a[href$="broken-1"]');
  await p.waitForSelector('#broken-1.focus');
  await p.screenshot({ path: path.join(out, 'draft.png'), fullPage: true });
  await p.close();
});

test('draft view: sections against the references, stale and outdated formulations, lines and columns', async () => {
  const gap = JSON.parse(fs.readFileSync(path.join(out, 'draft2024_gap.json'), 'utf8'));
  const data = embedded(path.join(out, 'draft2024.html'));
  const g = data.gap;
  // the draft of this test has every kind of finding
  assert.ok(gap.structure.some((x) => x.gap === 'missing') && gap.structure.some((x) => x.gap === 'shorter'));
  assert.ok(gap.broken.length && gap.outdated.length && gap.stale.length);
  assert.deepEqual(g.structure, gap.structure);
  const p = await open(page('draft2024.html'));
  await p.waitForSelector('#draft');
  // the sections: each with the references' count and median, the draft's length, the verdict
  const rows = await p.$$eval('#structure tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual(rows.map((r) => r.slice(0, 4).map((c) => c.replace(/,/g, ''))), gap.structure.map((x) => [x.name, `${x.references} / ${gap.references}`,
    String(x.median_characters), x.draft_characters == null ? '无' : String(x.draft_characters)]));
  gap.structure.forEach((x, k) => {
    if (x.gap === 'missing') assert.match(rows[k][4], /缺少此部分/);
    else if (x.gap === 'shorter') assert.match(rows[k][4], /偏短/);
    else assert.doesNotMatch(rows[k][4], /缺少|偏短/);
  });
  const summary = await p.textContent('#draft > p');
  assert.match(summary, new RegExp(`缺少 ${gap.structure.filter((x) => x.gap === 'missing').length} 个部分`));
  // every finding marked in the text with its badge, its own line style, and in the table with gw-gap's line and column
  const text = data.documents[g.draft].text;
  const table = await p.$$eval('#findings tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  let row = 0;
  for (const [key, badge] of [['broken', '误'], ['outdated', '旧'], ['stale', '过']]) {
    const marks = await markTexts(p, `#draft .text mark.${key}`);
    assert.equal(marks.length, gap[key].length, key);
    gap[key].forEach((f, k) => {
      assert.equal(marks[k].badge, `${badge}${k + 1}`);
      assert.equal(marks[k].text, text.slice(g[key][k].range[0], g[key][k].range[1]), `${key} ${k + 1} marked`);
      assert.equal(table[row][0], `${badge}${k + 1}`);
      assert.deepEqual(table[row].slice(-2), [String(f.line), String(f.column)], `${key} ${k + 1}: gw-gap's line and column`);
      if (key === 'stale') assert.ok(table[row][1] === f.term && table[row][3].includes(String(f.ended)), table[row].join(' | '));
      row++;
    });
  }
  assert.equal(table.length, row);
  const lines = await p.$$eval('.legend mark', (ms) => Object.fromEntries(ms.map((m) => {
    const st = getComputedStyle(m);
    return [m.className, `${st.textDecorationLine} ${st.textDecorationStyle}`];
  })));
  assert.equal(new Set([lines.broken, lines.outdated, lines.stale]).size, 3, `three line styles: ${JSON.stringify(lines)}`);
  // the example sentence of a missing term: where it stands in its reference
  const examples = await p.$$eval('#missing tbody tr td:last-child .path', (ds) => ds.map((d) => d.textContent));
  const withExample = gap.missing.filter((m) => m.example);
  assert.deepEqual(examples, withExample.map((m) => `${m.example.path} ${place(m.example.line, m.example.column)} · ${m.example.name}`));
  await p.click('#findings a[href$="stale-1"]');
  await p.waitForSelector('#stale-1.focus');
  await p.screenshot({ path: path.join(out, 'draft2024.png'), fullPage: true });
  await p.close();
});

test('a passage inside another source\'s passage keeps its number, its source and its text, in print too', async () => {
  const data = embedded(path.join(out, 'nested.html'));
  const x = data.documents.findIndex((d) => d.path.endsWith('/x.txt'));
  const spans = data.pairs.filter((q) => q.a === x || q.b === x).map((q) => {
    const c = q.passages.find((s) => s.kind === 'copy');
    return { other: q.a === x ? q.b : q.a, r: q.a === x ? c.a : c.b };
  }).sort((u, v) => (v.r[1] - v.r[0]) - (u.r[1] - u.r[0]));
  const [outer, inner] = spans;
  assert.ok(outer.r[0] < inner.r[0] && inner.r[1] < outer.r[1], 'the fixture nests one passage in the other');
  const p = await open(page('nested.html', `#doc/${x}`));
  await p.waitForSelector('#document');
  const sourceOf = async (doc) => p.$$eval('ol.sources li', (lis, path) => lis.findIndex((li) => li.querySelector('a').title === path) + 1, data.documents[doc].path);
  for (const media of ['screen', 'print']) {
    await p.emulateMedia({ media });
    const marks = await markTexts(p, '#document .text mark');
    assert.equal(marks.length, 2, media);
    const text = data.documents[x].text;
    for (const s of [outer, inner]) {
      const n = await sourceOf(s.other);
      const m = marks.find((k) => k.badge === String(n));
      assert.ok(m, `source ${n}'s passage has its number (${media})`);
      assert.equal(m.text, text.slice(s.r[0], s.r[1]), `source ${n}'s passage shows its whole text (${media})`);
      assert.ok(m.title.startsWith(`来源 ${n}：`), m.title);
    }
    // the inner mark in the outer one, each with its own line, the inner's drawn below the outer's
    const look = await p.$eval('#document .text mark mark', (m) => {
      const o = m.parentElement.closest('mark');
      const line = m.getClientRects()[0];
      const same = [...o.getClientRects()].find((r) => r.top <= line.top + 1 && r.bottom >= line.top + 5);
      const st = (e) => getComputedStyle(e);
      return { inner: st(m).borderBottomStyle, outer: st(o).borderBottomStyle, innerWidth: parseFloat(st(m).borderBottomWidth),
        outerWidth: parseFloat(st(o).borderBottomWidth), below: line.bottom - same.bottom, text: m.textContent };
    });
    assert.notEqual(look.inner, look.outer, `two line patterns (${media})`);
    assert.ok(look.innerWidth >= 2 && look.outerWidth >= 2, `both lines drawn (${media})`);
    assert.ok(look.below >= look.outerWidth + 1, `the inner line below the outer one, not over it (${media}: ${look.below}px)`);
  }
  await p.emulateMedia({ media: 'screen' });
  await p.locator('#document .text mark mark').screenshot({ path: path.join(out, 'nested.png') });
  await p.close();
});

test('a report whose original is gone: its sources and where their passages stand, from the records', async () => {
  const dups = JSON.parse(fs.readFileSync(path.join(out, 'gone.json'), 'utf8'));
  const data = JSON.parse(fs.readFileSync(path.join(out, 'gone.data.json'), 'utf8'));
  const i = data.documents.findIndex((d) => d.path === 'corpus/gone.txt');
  assert.ok(i >= 0 && data.documents[i].error);
  const p = await open(page('gone.html', `#doc/${i}`));
  await p.waitForSelector('#document');
  assert.match(await p.textContent('#document .text'), /原文无法读取/);
  const listed = await p.$$eval('ol.sources li', (lis) => lis.map((li) => ({
    path: li.querySelector('a').title, places: [...li.querySelector('.places').childNodes].map((n) => n.textContent).join(''),
  })));
  // gw-dups's own records: each source's copy passages, at gw-dups's line and column in the gone report
  const expected = dups.pairs.filter((q) => (q.a === 'corpus/gone.txt' || q.b === 'corpus/gone.txt') && q.passages.some((s) => s.kind === 'copy'))
    .map((q) => {
      const me = q.a === 'corpus/gone.txt' ? 'a' : 'b';
      const at = q.passages.filter((s) => s.kind === 'copy').map((s) => s[me]).sort((u, v) => u.line - v.line || u.column - v.column);
      return { path: q[me === 'a' ? 'b' : 'a'], places: `位置：${at.map((x) => place(x.line, x.column)).join('、')}` };
    });
  assert.ok(expected.length > 0);
  assert.deepEqual([...listed].sort((u, v) => u.path.localeCompare(v.path)), expected.sort((u, v) => u.path.localeCompare(v.path)));
  await p.close();
});

// The overview's cards, label to figure.
const cards = (p) => p.$$eval('.card', (cs) => Object.fromEntries(cs.map((c) =>
  [c.querySelector('.label').textContent, c.querySelector('.value').textContent.replace(/,/g, '')])));

test('the overview: the figures of the summary, the largest families, every parameter', async () => {
  for (const name of ['corpus', 'families', 'archive']) {
    const data = embedded(path.join(out, `${name}.html`));
    const s = data.summary;
    const p = await open(page(`${name}.html`, '#overview'));
    const shown = await cards(p);
    assert.equal(shown['报告'], String(s.documents), name);
    assert.equal(shown['字数（不含标点）'], String(s.characters), name);
    assert.equal(shown['复制比 ≥ 30% 的报告'], String(s.over_30), name);
    assert.equal(shown['复制比 ≥ 50% 的报告'], String(s.over_50), name);
    assert.equal(shown['复制字数'], String(s.copied), name);
    assert.equal(s.over_30, data.documents.filter((d) => !d.is_base && !d.is_archived && d.copy_ratio >= 0.3).length);
    if (s.archived_documents) assert.equal(shown['档案中的往年报告（来源）'], String(s.archived_documents));
    // the largest families (five), each with its report count
    if (data.has_families) {
      const quoted = await p.$$eval('#overview .family blockquote', (bs) => bs.map((b) => b.textContent));
      assert.deepEqual(quoted, data.families.slice(0, 5).map((f) => f.text), name);
    }
    assert.equal(await p.locator('table.params tbody tr').count(), Object.keys(data.parameters).length, name);
    await p.close();
  }
});

test('document view, similarity map and overview draw without errors', async () => {
  const p = await open(page('corpus.html'));
  await p.screenshot({ path: path.join(out, 'overview.png'), fullPage: true });
  const docIndex = corpus.documents.findIndex((d) => d.passages > 0);
  await p.evaluate((h) => { location.hash = h; }, `#doc/${docIndex}`);
  const marks = await p.locator('#document .text mark.copy:not(.cont)').count();
  assert.equal(marks, corpus.documents[docIndex].passages);
  assert.equal(await p.locator('#document .text mark.copy:not(.cont):not(:has(> a.sn))').count(), 0, 'each span numbered by its source');
  // its sources: every report it shares a copied passage with, each linked to their pair
  const partners = new Set(corpus.pairs.filter((q) => (q.a === docIndex || q.b === docIndex) && q.passages.some((x) => x.kind === 'copy'))
    .map((q) => (q.a === docIndex ? q.b : q.a)));
  const listed = await p.$$eval('ol.sources li', (lis) => lis.map((li) => ({
    href: li.querySelector('a[href^="#pair/"]').getAttribute('href'),
    places: [...li.querySelectorAll('.places a')].map((a) => a.textContent),
  })));
  assert.equal(listed.length, partners.size);
  for (const { href, places } of listed) {
    const q = corpus.pairs[Number(href.split('/')[1])];
    assert.ok(partners.has(q.a === docIndex ? q.b : q.a));
    // where its passages stand in this report: line and column, in text order
    const me = q.a === docIndex ? 'a' : 'b';
    const expected = q.passages.filter((c) => c.kind === 'copy').map((c) => [c['line_' + me], c['column_' + me]])
      .sort((u, v) => u[0] - v[0] || u[1] - v[1]).map(([l, c]) => place(l, c));
    assert.deepEqual(places, expected.slice(0, 20), `places of the source of ${href}`);
  }
  await p.evaluate(() => { location.hash = '#map'; });
  const size = await p.$eval('#map-canvas', (c) => c.width);
  assert.ok(size > 0);
  await p.close();
});

test('copied, official and base text differ by line and badge, not by colour alone', async () => {
  const p = await open(page('corpus.html', '#pair/0'));
  const look = await p.$$eval('.legend mark', (ms) => ms.map((m) => {
    const st = getComputedStyle(m);
    return { cls: m.className, line: `${st.borderBottomStyle} ${st.borderBottomWidth}`, text: st.color };
  }));
  const of = (c) => look.find((l) => l.cls === c);
  assert.equal(of('copy').line, 'solid 2px');
  assert.equal(of('official').line, 'dotted 1px');
  assert.equal(of('base').line, 'dashed 1px');
  assert.notEqual(of('official').text, of('copy').text, 'official text muted');
  // every copied passage carries its number, no official or base span does
  assert.equal(await p.locator('.side-a mark.copy:not(.cont):not(:has(> a.pn))').count(), 0);
  assert.equal(await p.locator('.side-a mark.official > a.pn, .side-a mark.base > a.pn').count(), 0);
  await p.close();
});

test('the similarity map: each group of copying reports a block on the diagonal, a cell opens its pair', async () => {
  const file = path.join(out, 'batch100', 'report.html');
  const data = embedded(file);
  const p = await open(pathToFileURL(file).href + '#map');
  const order = await p.$$eval('ol.map-legend a', (as) => as.map((a) => Number(a.getAttribute('href').split('/')[1])));
  const parent = new Map();
  const find = (x) => { while (parent.get(x) !== x) x = parent.get(x); return x; };
  for (const q of data.pairs) for (const x of [q.a, q.b]) if (!parent.has(x)) parent.set(x, x);
  for (const q of data.pairs) parent.set(find(q.a), find(q.b));
  assert.deepEqual([...order].sort((a, b) => a - b), [...parent.keys()].sort((a, b) => a - b), 'every report in a pair, once');
  const groups = new Map();
  order.forEach((d, k) => { const g = find(d); groups.set(g, [...(groups.get(g) || []), k]); });
  assert.ok(groups.size > 1);
  for (const at of groups.values()) assert.equal(at[at.length - 1] - at[0] + 1, at.length, 'a group is contiguous');
  // the cell of the first two reports (neighbours in the order) opens their pair
  const canvas = p.locator('#map-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  const cell = box.width / order.length;
  await p.mouse.click(box.x + 1.5 * cell, box.y + 0.5 * cell);
  const k = data.pairs.findIndex((q) => (q.a === order[0] && q.b === order[1]) || (q.a === order[1] && q.b === order[0]));
  assert.ok(k >= 0);
  await p.waitForFunction((h) => location.hash === h, `#pair/${k}`);
  await p.close();
});

test('the ranking printed: every row, its header on every page', async () => {
  const file = path.join(out, 'batch100', 'report.html');
  const data = embedded(file);
  const p = await open(pathToFileURL(file).href + '#ranking');
  const pdf = path.join(out, 'ranking.pdf');
  await p.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((x) => x.trim());
  assert.ok(pages.length > 1, `${pages.length} pages`);
  for (const [k, text] of pages.entries()) assert.match(text, /复制比\s+模板复制比/, `the header on page ${k + 1}`);
  const units = data.documents.filter((d) => !d.is_base).map((d) => d.unit);
  const printed = new Set(pages.join('\n').match(/单位\d{4}/g));
  assert.deepEqual(units.filter((u) => !printed.has(u)), [], 'every unit printed');
  await p.close();
  // the 2,000 reports' ranking draws all its rows for print, then part again
  const big = await open(pathToFileURL(path.join(out, 'batch2000', 'report.html')).href + '#ranking');
  await big.waitForSelector('#ranking tr[data-doc]');
  await big.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  assert.equal(await big.locator('#ranking tr[data-doc]').count(), 2000);
  await big.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  assert.ok(await big.locator('#ranking tr[data-doc]').count() < 200);
  await big.close();
});

test('printing keeps both columns and embeds a CJK font', async () => {
  const p = await open(page('corpus.html', '#pair/0'));
  await p.screenshot({ path: path.join(out, 'pair.png'), fullPage: true });
  await p.emulateMedia({ media: 'print' });
  const [a, b] = await Promise.all(['.side-a', '.side-b'].map((s) => p.locator(s).boundingBox()));
  assert.ok(b.x >= a.x + a.width - 1 && Math.abs(a.y - b.y) < 2, 'the two reports side by side in print');
  assert.equal(await p.locator('nav').isVisible(), false, 'no navigation in print');
  await p.screenshot({ path: path.join(out, 'pair-print.png'), fullPage: true });
  const pdf = path.join(out, 'pair.pdf');
  await p.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
  // both columns on the first printed page: the start of each report's text
  const first = execFileSync('pdftotext', ['-f', '1', '-l', '1', '-layout', pdf, '-'], { encoding: 'utf8' });
  for (const doc of [corpus.pairs[0].a, corpus.pairs[0].b]) {
    const opening = corpus.documents[doc].text.trim().split('\n')[0].slice(0, 8);
    assert.ok(first.includes(opening), `page 1 of the PDF shows the start of ${corpus.documents[doc].path}`);
  }
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  const cjk = fonts.split('\n').filter((l) => /WenQuanYi|WQY|Noto.*CJK|Source.*Han|Droid.*Fallback/i.test(l));
  assert.ok(cjk.length > 0, `a CJK font in the PDF:\n${fonts}`);
  assert.ok(cjk.some((l) => /\byes\s+yes\b/.test(l)), `the CJK font is embedded:\n${fonts}`);
  await p.close();
});

test('reports of 100 and 2,000 documents open (time in the log), the ranking drawn as scrolled', async (t) => {
  for (const n of [100, 2000]) {
    const file = path.join(out, `batch${n}`, 'report.html');
    const data = embedded(file);
    const size = fs.statSync(file).size;
    const p = await context.newPage();
    p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    p.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    await p.addInitScript(marker);
    const start = Date.now();
    await p.goto(pathToFileURL(file).href + '#ranking');
    const times = await pageTimes(p);
    const harness = Date.now() - start;
    const line = `open time, ${n} reports (${(size / 1e6).toFixed(1)} MB): ranking painted ${Math.round(times.painted)} ms, ` +
      `whole file parsed ${Math.round(times.parsed)} ms (from the navigation; ${harness} ms with this harness)`;
    t.diagnostic(line);
    console.log(line);
    assert.equal(await p.getAttribute('#ranking', 'data-rows'), String(n));
    const ranks = () => p.$$eval('#ranking tr[data-doc]', (trs) => trs.map((tr) => Number(tr.cells[0].textContent)));
    const drawn = await ranks();
    // up to 150 rows all drawn; beyond, the rows in view and a screen either side
    if (n <= 150) assert.equal(drawn.length, n);
    else assert.ok(drawn.length >= 20 && drawn.length < 200, `${drawn.length} of ${n} rows drawn`);
    assert.deepEqual(drawn, drawn.map((_, k) => k + 1), 'the first rows, by 复制比');
    // scrolled to the end: the last rows, in view, with the data's figures
    await p.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await p.waitForFunction((last) => [...document.querySelectorAll('#ranking tr[data-doc]')].pop()?.cells[0].textContent === String(last), n);
    const tail = await ranks();
    assert.deepEqual(tail, tail.map((_, k) => n - tail.length + k + 1), 'the last rows, in order');
    const last = await p.$eval('#ranking tbody tr[data-doc]:last-of-type', (tr) => {
      const box = tr.getBoundingClientRect();
      return { doc: Number(tr.dataset.doc), ratio: tr.querySelector('td.ratio').textContent, top: box.top, bottom: box.bottom };
    });
    assert.ok(last.top >= 0 && last.bottom <= 900 + 1, `the last row is in view (${last.top}-${last.bottom})`);
    assert.equal(last.ratio, (data.documents[last.doc].copy_ratio * 100).toFixed(1) + '%');
    const lowest = Math.min(...data.documents.filter((d) => !d.is_base).map((d) => d.copy_ratio));
    assert.equal(data.documents[last.doc].copy_ratio, lowest);
    // filtered while scrolled to the end: the one row found is drawn
    await p.fill('#filter', data.documents[last.doc].unit);
    assert.deepEqual(await p.$$eval('#ranking tr[data-doc]', (trs) => trs.map((tr) => Number(tr.dataset.doc))), [last.doc]);
    await p.fill('#filter', '');
    // sorted the other way, from the top again: the lowest first
    await p.click('#ranking th[data-key="copy_ratio"]');
    await p.evaluate(() => window.scrollTo(0, 0));
    await p.waitForFunction(() => document.querySelector('#ranking tr[data-doc]')?.getBoundingClientRect().top > 0);
    const first = await p.$eval('#ranking tr[data-doc]', (tr) => Number(tr.dataset.doc));
    assert.equal(data.documents[first].copy_ratio, lowest);
    // a pair of the large report: its passages drawn from the late parts
    const k = data.pairs.findIndex((q) => q.passages.some((s) => s.kind === 'copy'));
    const pairStart = Date.now();
    await p.evaluate((h) => { location.hash = h; }, `#pair/${k}`);
    await p.waitForSelector('.side-b');
    const copies = data.pairs[k].passages.filter((s) => s.kind === 'copy').length;
    assert.equal(await p.locator('.side-a mark.copy').count(), copies);
    assert.equal(await p.locator('.side-b mark.copy').count(), copies);
    t.diagnostic(`${n} reports: a pair view drawn ${Date.now() - pairStart} ms after its link`);
    // the families: the first 30, more as the list's end comes into view
    await p.evaluate(() => { location.hash = '#families'; });
    await p.waitForSelector('#groups');
    const total = data.has_families ? data.families.length : data.clusters.length;
    assert.equal(await p.locator('#groups > .family').count(), Math.min(30, total));
    if (total > 30) {
      await p.locator('#more-groups').scrollIntoViewIfNeeded();
      await p.waitForFunction((k) => document.querySelectorAll('#groups > .family').length > k, 30);
      const groups = await p.$$eval('#groups > .family', (fs) => fs.map((f) => f.querySelectorAll('.members li').length));
      const expected = (data.has_families ? data.families : data.clusters).slice(0, groups.length).map((f) => f.members.length);
      assert.deepEqual(groups, expected, 'each family with all its members (the rest under details)');
    }
    await p.close();
  }
});

// CSV as Excel reads it: fields in double quotes may hold commas and "".
const csvRows = (text) => text.trim().split('\r\n').map((line) => {
  const fields = [];
  for (let k = 0; k <= line.length;) {
    if (line[k] === '"') {
      let v = '';
      for (k++; k < line.length; k++) {
        if (line[k] === '"' && line[k + 1] === '"') { v += '"'; k++; } else if (line[k] === '"') break; else v += line[k];
      }
      fields.push(v);
      k += 2; // the closing quote and the comma
    } else {
      const end = line.indexOf(',', k) < 0 ? line.length : line.indexOf(',', k);
      fields.push(line.slice(k, end));
      k = end + 1;
    }
  }
  return fields;
});

test('with the archive: self-copy from the unit\'s own earlier report, a column of its own, in the CSV too', async () => {
  // gw-archive check's JSON (run.sh builds the archive): each report's
  // self_sources, the largest share from one earlier report of its unit
  const check = JSON.parse(fs.readFileSync(path.join(out, 'archive_check.json'), 'utf8'));
  const selfShare = (d) => Math.max(0, ...d.self_sources.filter((s) => s.relation === 'self_earlier').map((s) => s.share));
  const expected = new Map(check.documents.map((d) => [d.path, selfShare(d)]));
  assert.ok([...expected.values()].some((x) => x > 0) && [...expected.values()].some((x) => x === 0),
    'one unit copies its own earlier report, another does not');
  const data = embedded(path.join(out, 'archive.html'));
  assert.deepEqual(data, JSON.parse(fs.readFileSync(path.join(out, 'archive.data.json'), 'utf8')));
  const p = await open(page('archive.html', '#ranking'));
  const col = await p.$$eval('#ranking th', (ths) => ths.findIndex((th) => th.dataset.key === 'self_copy'));
  assert.equal(await p.textContent(`#ranking th:nth-child(${col + 1})`), '本单位往年');
  const rows = await p.$$eval('#ranking tbody tr', (trs, c) => trs.map((tr) => ({
    doc: Number(tr.dataset.doc), cells: [...tr.cells].map((x) => x.textContent),
    link: tr.cells[c].querySelector('a')?.getAttribute('href') ?? null,
  })), col);
  // one row per report of the batch: the archive's reports are sources, not rows
  assert.deepEqual(rows.map((r) => data.documents[r.doc].path).sort(), check.documents.map((d) => d.path).sort());
  for (const r of rows) {
    const d = data.documents[r.doc];
    const c = check.documents.find((x) => x.path === d.path);
    assert.equal(r.cells[1], c.unit, 'the unit gw-archive names');
    assert.equal(r.cells[2], String(c.year), 'the year gw-archive names');
    assert.equal(r.cells[col], (expected.get(d.path) * 100).toFixed(1) + '%', `self-copy of ${d.path}`);
    if (expected.get(d.path) > 0) {
      // the cell links to the pair with that earlier report of the same unit
      const earlier = data.documents[d.self_source];
      assert.ok(earlier.is_archived && earlier.unit === d.unit && earlier.year < d.year);
      const pair = data.pairs[Number(r.link.split('/')[1])];
      assert.deepEqual([pair.a, pair.b].sort(), [r.doc, d.self_source].sort());
    } else {
      assert.equal(r.link, null);
    }
  }
  // a unit with several reports (丁局 2023 and its 2022 report in the
  // archive) is named with the year where no year stands beside the name:
  // the largest source of 丁局's 2023 report read "丁局"
  const largestCol = await p.$$eval('#ranking th', (ths) => ths.findIndex((th) => th.dataset.key === 'largest'));
  const shared = (u) => data.documents.filter((x) => x.unit === u).length > 1;
  let named = 0;
  for (const r of rows) {
    const src = data.documents[data.documents[r.doc].largest_source];
    if (!src) continue;
    assert.equal(r.cells[largestCol], shared(src.unit) ? `${src.unit} ${src.year}` : src.unit);
    named += shared(src.unit);
  }
  assert.ok(named > 0, 'a largest source of a unit with several reports');
  // sorted by it, highest first: the unit that copied itself leads
  await p.click(`#ranking th[data-key="self_copy"]`);
  const top = await p.$eval('#ranking tbody tr', (tr) => Number(tr.dataset.doc));
  assert.equal(expected.get(data.documents[top].path), Math.max(...expected.values()));
  // the CSV beside the page has the same figures in 本单位往年复制比
  const csv = csvRows(fs.readFileSync(path.join(out, 'archive.csv'), 'utf8').replace(/^\ufeff/, ''));
  const at = csv[0].indexOf('本单位往年复制比');
  const file = csv[0].indexOf('文件');
  assert.ok(at >= 0 && file >= 0);
  assert.equal(csv.length - 1, check.documents.length);
  for (const line of csv.slice(1)) assert.equal(line[at], (expected.get(line[file]) * 100).toFixed(1) + '%', line[file]);
  // the document view names the earlier report as the unit's own
  const copier = rows.find((r) => r.link);
  await p.evaluate((h) => { location.hash = h; }, `#doc/${copier.doc}`);
  await p.waitForSelector('#document');
  const sources = await p.$$eval('ol.sources li', (lis) => lis.map((li) => li.textContent));
  assert.ok(sources.some((s) => s.includes('（本单位往年）')), sources.join(' / '));
  assert.ok(sources.some((s) => s.includes('（其他单位）')), sources.join(' / '));
  // the pair view from the cell: the earlier report marked as the archive's
  await p.evaluate((h) => { location.hash = h; }, copier.link);
  await p.waitForSelector('.side-b');
  assert.equal(await p.locator('.doc-head:has-text("档案中的往年报告")').count(), 1);
  await p.screenshot({ path: path.join(out, 'archive-pair.png'), fullPage: true });
  await p.close();
});

test('no console errors, page errors or network requests', () => {
  assert.deepEqual(problems, []);
});
