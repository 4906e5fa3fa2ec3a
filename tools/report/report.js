/* gw-report: the page's script.  It only draws: every offset in the data is
 * already an index into the document's text as JavaScript counts it (UTF-16
 * code units), with its line number beside it.  Views are chosen by the
 * address's fragment (#overview, #ranking, #families, #map, #pair/N,
 * #pair/N/a3, #doc/N), so that the browser's back button and links work,
 * offline, from a file. */
'use strict';
(function () {
  /* Large arrays of records come as tables, {keys, rows} (gw-report's
   * write_list: no key name repeated in every record); back to records.
   * Each set of keys gets a function that makes a record with one object
   * literal: records that all have the same shape, made 30 times faster
   * than by adding the keys one by one (which gives objects in dictionary
   * mode: 150 ms for the 2,000 reports' first view, on the critical path
   * to it).  The keys are the data's own, quoted by JSON.stringify. */
  const makers = new Map();
  const records = (t) => {
    if (!t || Array.isArray(t)) return t;
    const { keys, rows } = t;
    const shape = keys.join('\n');
    let make = makers.get(shape);
    if (!make) {
      make = new Function('r', `return {${keys.map((k, j) => `${JSON.stringify(k)}: r[${j}]`).join(', ')}};`);
      makers.set(shape, make);
    }
    return rows.map(make);
  };
  const data = JSON.parse(document.getElementById('gw-data').textContent);
  data.documents = records(data.documents);
  data.pairs = records(data.pairs);
  data.families = records(data.families);
  for (const f of data.families) f.members = records(f.members);
  const docs = data.documents;
  const pairs = data.pairs;
  const main = document.getElementById('main');

  /* The reports' texts and sources, the pairs' passages and the clusters
   * come after this script, one JSON value a line (gw-late-text, ...): the
   * first view is drawn before the browser has parsed them (most of a large
   * report's bytes), and a line is parsed when a view needs it. */
  const late = new Map();
  const complete = () => document.readyState !== 'loading';
  function lateValue(key, k) {
    let block = late.get(key);
    if (!block) {
      const el = document.getElementById('gw-late-' + key);
      block = { lines: el ? el.textContent.split('\n').filter((l) => l) : [], values: new Map() };
      late.set(key, block);
    }
    if (!block.values.has(k)) {
      let value = k < block.lines.length ? JSON.parse(block.lines[k]) : null;
      if (key === 'clusters') { if (value) value.members = records(value.members); }
      else if (key !== 'text') value = records(value);
      block.values.set(k, value);
    }
    return block.values.get(k);
  }
  const docText = (i) => lateValue('text', i);
  const passagesOf = (k) => lateValue('passages', k) || [];

  /* ---- helpers ---- */
  const esc = (s) => String(s == null ? '' : s).replace(/[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const pct = (x) => (x == null ? '—' : (x * 100).toFixed(1) + '%');
  /* Whole numbers grouped by thousands as zh-CN writes them (1,234,567)
   * by hand: making an Intl.NumberFormat costs 60-280 ms on a loaded
   * machine, on the critical path to the first view.  Anything else goes
   * to one made when first needed. */
  let grouping = null;
  const int = (x) => {
    if (x == null) return '—';
    if (Number.isSafeInteger(x)) return String(x).replace(/\B(?=(\d{3})+$)/g, ',');
    grouping = grouping || new Intl.NumberFormat('zh-CN');
    return grouping.format(x);
  };
  /* A unit with several documents (its reports of two years, an earlier
   * one from the archive) is named with the year wherever no year stands
   * beside the name: 县市场监管局's largest source "县市场监管局" read as
   * copying from itself. */
  const unitDocs = new Map();
  for (const d of docs) if (d.unit) unitDocs.set(d.unit, (unitDocs.get(d.unit) || 0) + 1);
  const unitName = (i) => docs[i].unit || docs[i].path;
  const docName = (i) => unitName(i) + (docs[i].year && unitDocs.get(docs[i].unit) > 1 ? ` ${docs[i].year}` : '');
  const docLink = (i, name = docName) => `<a href="#doc/${i}" title="${esc(docs[i].path)}">${esc(name(i))}</a>`;
  /* A report of this batch: not a base document, not an earlier report
   * from the archive (gw-archive check names those only as sources). */
  const isReport = (i) => !docs[i].is_base && !docs[i].is_archived;
  const pairKey = (a, b) => (a < b ? a * docs.length + b : b * docs.length + a);
  const pairIndex = new Map();
  pairs.forEach((p, i) => pairIndex.set(pairKey(p.a, p.b), i));
  const pairLink = (a, b, label) => {
    const k = pairIndex.get(pairKey(a, b));
    return k == null ? esc(label) : `<a href="#pair/${k}">${esc(label)}</a>`;
  };

  /* Marks ranges of a text.  spans: {r: [start, end], cls, id, head, title,
   * data}.  Marks nest: a passage inside another (a second source's text
   * within the first's, an official formulation within a copied passage)
   * is a mark inside the other's, with its own number, ground and line,
   * drawn below the outer one's (report.css), so that both stay readable.
   * A span that starts inside another and ends after it is drawn in two
   * pieces: inside, with its number, then after the other closes, a
   * continuation (class "cont", data-cont its first piece's data-k), with
   * neither number nor id. */
  function marked(text, spans) {
    const before = (x, y) => x.start - y.start || y.end - x.end || x.k - y.k;
    const queue = spans.filter((s) => s.r).map((s, k) => ({ s, k, start: s.r[0], end: Math.max(s.r[0], s.r[1]), first: true }))
      .sort(before);
    let out = '';
    let pos = 0;
    const stack = [];
    const upTo = (to) => { if (to > pos) { out += esc(text.slice(pos, to)); pos = to; } };
    const close = () => { upTo(stack.pop().end); out += '</mark>'; };
    const split = new Set();
    for (let q = 0; q < queue.length; q++) {
      const piece = queue[q];
      while (stack.length && stack[stack.length - 1].end <= piece.start) close();
      const inner = stack[stack.length - 1];
      if (inner && piece.end > inner.end) {
        /* it crosses the innermost open mark: the rest after that closes */
        const rest = { ...piece, start: inner.end, first: false };
        let at = q + 1;
        while (at < queue.length && before(queue[at], rest) <= 0) at++;
        queue.splice(at, 0, rest);
        piece.end = inner.end;
        split.add(piece.k);
      }
      upTo(piece.start);
      const s = piece.s;
      out += `<mark class="${s.cls}${piece.first ? '' : ' cont'}"` +
        `${piece.first && s.id ? ` id="${s.id}"` : ''}${s.title ? ` title="${esc(s.title)}"` : ''}` +
        `${piece.first ? s.data || '' : ` data-cont="${piece.k}"`}${piece.first && split.has(piece.k) ? ` data-k="${piece.k}"` : ''}>` +
        `${piece.first ? s.head || '' : ''}`;
      stack.push(piece);
    }
    while (stack.length) close();
    return out + esc(text.slice(pos));
  }

  /* "第 L 行第 C 列" where a record stands (the tools' line and column:
   * columns count characters), the line alone where the column is unknown. */
  const place = (line, column) => (line ? `第 ${line} 行${column ? `第 ${column} 列` : ''}` : '');

  function textOrError(i, spans) {
    const text = docText(i);
    return text == null ? `<span class="muted">原文无法读取（${esc(docs[i].error)}）</span>` : marked(text, spans);
  }

  function docHead(i, side) {
    const d = docs[i];
    return `<div class="doc-head">${side ? `<b>${side}</b> ` : ''}${docLink(i, unitName)}` +
      `${d.year ? ` · ${d.year}年` : ''}${d.is_archived ? ' · 档案中的往年报告' : ''}` +
      `${d.characters != null ? ` · ${int(d.characters)} 字` : ''}` +
      `${d.copy_ratio != null ? ` · 复制比 <b>${pct(d.copy_ratio)}</b>` : ''}` +
      `${d.title ? `<div>${esc(d.title)}</div>` : ''}<div class="path">${esc(d.path)}</div></div>`;
  }

  /* ---- overview ---- */
  function overview() {
    const s = data.summary;
    const card = (value, label, alert) =>
      `<div class="card${alert ? ' alert' : ''}"><div class="value">${value}</div><div class="label">${label}</div></div>`;
    const buckets = new Array(10).fill(0);
    for (const d of docs) if (d.copy_ratio != null) buckets[Math.min(9, Math.floor(d.copy_ratio * 10))]++;
    const most = Math.max(1, ...buckets);
    let h = `<section class="print-section" id="overview"><h2>概览</h2><div class="cards">` +
      card(int(s.documents), '报告') + (s.base_documents ? card(int(s.base_documents), '基础文件（不计）') : '') +
      (s.archived_documents ? card(int(s.archived_documents), '档案中的往年报告（来源）') : '') + card(int(s.characters), '字数（不含标点）') +
      card(int(s.over_30), '复制比 ≥ 30% 的报告', s.over_30 > 0) +
      card(int(s.over_50), '复制比 ≥ 50% 的报告', s.over_50 > 0) +
      card(int(s.copied), '复制字数') + card(int(s.passages), '复制段落') +
      card(int(s.pairs), '相互复制的报告对') +
      card(data.has_families ? int(s.families) : int(s.clusters), data.has_families ? '模板家族' : '相似段落簇') +
      `</div><h3>复制比分布</h3><div class="hist">` +
      buckets.map((n) => `<div style="height:${(100 * n) / most}%"><span>${n}</span></div>`).join('') +
      `</div><div class="hist-labels">${buckets.map((_, i) => `<span>${i * 10}–${i * 10 + 10}%</span>`).join('')}</div>`;
    const top = [...docs.keys()].filter((i) => docs[i].copy_ratio != null && isReport(i))
      .sort((a, b) => docs[b].copy_ratio - docs[a].copy_ratio || a - b).slice(0, 10);
    h += `<h3>复制比最高的报告</h3><table><thead><tr><th>单位</th><th>复制比</th><th>最大来源</th><th>占比</th></tr></thead><tbody>` +
      top.map((i) => {
        const d = docs[i];
        const src = d.largest_source;
        return `<tr><td>${docLink(i)}</td><td class="num">${pct(d.copy_ratio)}</td>` +
          `<td>${src == null ? '—' : pairLink(i, src, docName(src))}</td><td class="num">${pct(d.largest_share)}</td></tr>`;
      }).join('') + `</tbody></table>`;
    h += `<h3>${data.has_families ? '最大的模板家族' : '最大的相似段落簇'}</h3>` + groupList(0, 5) +
      `<p><a href="#families">全部 →</a></p>`;
    if (data.errors.length) {
      h += `<h3>未能分析的文件</h3><ul>` +
        data.errors.map((e) => `<li><code>${esc(e.path)}</code>：${esc(e.error)}</li>`).join('') + `</ul>`;
    }
    h += `<h3>参数</h3><table class="params"><tbody>` +
      Object.keys(data.parameters).map((k) => `<tr><td>${esc(k)}</td><td>${esc(JSON.stringify(data.parameters[k]))}</td></tr>`).join('') +
      `</tbody></table>` +
      `<p class="muted">复制比：复制字数 ÷ 报告字数（官方提法与基础文件的文字不计）。` +
      `官方提法（如习近平新时代中国特色社会主义思想）各报告都会使用，不算复制。` +
      `${data.generated ? ` 生成时间：${esc(data.generated)}。` : ''}</p></section>`;
    return h;
  }

  /* ---- ranking ---- */
  /* Widths fixed (table-layout: fixed), so that the columns neither depend
   * on every row's content nor move as rows are drawn; the title takes the
   * rest. */
  const columns = [
    { key: 'rank', label: '#', num: true, w: 3.2 },
    { key: 'unit', label: '单位', w: 8 },
    { key: 'year', label: '年份', num: true, w: 3.6 },
    { key: 'title', label: '标题' },
    { key: 'characters', label: '字数', num: true, w: 4.8 },
    { key: 'copied', label: '复制字数', num: true, w: 5.4 },
    { key: 'copy_ratio', label: '复制比', num: true, ratio: true, w: 7.6 },
    { key: 'template_ratio', label: '模板复制比', num: true, ratio: true, w: 4.8 },
    { key: 'few_ratio', label: '少数来源', num: true, ratio: true, w: 5.4 },
    { key: 'self_copy', label: '本单位往年', num: true, ratio: true, w: 4.8 },
    { key: 'largest', label: '最大来源', w: 8 },
    { key: 'largest_share', label: '来源占比', num: true, ratio: true, w: 5.4 },
    { key: 'passages', label: '复制段落', num: true, w: 5.4 },
    { key: 'longest', label: '最长段落', num: true, w: 5.4 },
  ];
  /* Up to VIRTUAL_FROM rows are all drawn.  Beyond, only the rows in view
   * and a screen's worth either side, between two spacer rows as high as the
   * rows left out, so that the page scrolls as if all were there: laying out
   * thousands of rows is what made a large report slow to open.  Printing
   * draws them all. */
  const VIRTUAL_FROM = 150;
  const ranking = { key: 'copy_ratio', dir: -1, filter: '', min: 0, rows: [], all: false, from: 0, to: 0, pitch: 0, measuring: false };
  const byRatio = [...docs.keys()].filter(isReport).sort((a, b) => (docs[b].copy_ratio || 0) - (docs[a].copy_ratio || 0) || a - b);
  const rankOf = new Array(docs.length);
  byRatio.forEach((d, r) => (rankOf[d] = r + 1));
  function sortValue(i, key) {
    const d = docs[i];
    if (key === 'rank') return rankOf[i];
    if (key === 'largest') return d.largest_source == null ? '' : docName(d.largest_source);
    return d[key];
  }
  function rankingRows() {
    const f = ranking.filter.toLowerCase();
    const rows = byRatio.filter((i) => {
      const d = docs[i];
      if ((d.copy_ratio || 0) < ranking.min) return false;
      return !f || [d.unit, d.path, d.title].some((v) => v && v.toLowerCase().includes(f));
    });
    const { key, dir } = ranking;
    rows.sort((a, b) => {
      const x = sortValue(a, key);
      const y = sortValue(b, key);
      if (x == null && y == null) return rankOf[a] - rankOf[b];
      if (x == null) return 1; /* missing figures last, either way */
      if (y == null) return -1;
      const c = typeof x === 'string' ? x.localeCompare(y, 'zh-CN') : x - y;
      return c ? dir * c : rankOf[a] - rankOf[b];
    });
    return rows;
  }
  const selfTitle = (i) => {
    const s = docs[docs[i].self_source];
    return `取自本单位${s.year ? ` ${s.year} 年` : '往年'}的报告：${s.path}`;
  };
  function rankingRow(i) {
    const d = docs[i];
    const src = d.largest_source;
    return `<tr data-doc="${i}"${(d.copy_ratio || 0) >= 0.3 ? ' class="high"' : ''}>` +
      `<td class="num">${rankOf[i]}</td><td title="${esc(d.path)}">${docLink(i, unitName)}</td><td class="num">${d.year || '—'}</td>` +
      `<td title="${esc(d.title)}">${esc(d.title)}</td><td class="num">${int(d.characters)}</td><td class="num">${int(d.copied)}</td>` +
      `<td class="num ratio" data-value="${d.copy_ratio == null ? '' : d.copy_ratio}">` +
      `<span class="bar" style="width:${Math.round((d.copy_ratio || 0) * 40)}px"></span>${pct(d.copy_ratio)}</td>` +
      `<td class="num">${pct(d.template_ratio)}</td><td class="num">${pct(d.few_ratio)}</td>` +
      `<td class="num self"${d.self_source == null ? '' : ` title="${esc(selfTitle(i))}"`}>` +
      `${d.self_source == null ? pct(d.self_copy) : pairLink(i, d.self_source, pct(d.self_copy))}</td>` +
      `<td>${src == null ? '—' : pairLink(i, src, docName(src))}</td><td class="num">${pct(d.largest_share)}</td>` +
      `<td class="num">${d.passages}</td><td class="num">${d.longest || '—'}</td></tr>`;
  }
  function rankingView() {
    const head = columns.map((c) => `<th class="sortable${c.num ? ' num' : ''}" data-key="${c.key}"` +
      `${c.key === ranking.key ? ` aria-sort="${ranking.dir < 0 ? 'descending' : 'ascending'}"` : ''}>${c.label}</th>`).join('');
    const cols = columns.map((c) => (c.w ? `<col style="width:${c.w}em">` : '<col>')).join('');
    return `<section class="print-section"><h2>单位排名</h2>` +
      `<div class="tools"><label>筛选 <input id="filter" type="search" placeholder="单位、标题或文件" value="${esc(ranking.filter)}"></label>` +
      `<label>复制比 <select id="min-ratio"><option value="0">全部</option><option value="0.3">≥ 30%</option>` +
      `<option value="0.5">≥ 50%</option></select></label>` +
      `<button type="button" id="csv-button">导出 CSV</button><span id="row-count" class="muted"></span></div>` +
      `<p id="ranking-state" class="print-only"></p>` +
      `<table id="ranking"><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead><tbody></tbody></table>` +
      `<p class="muted"><span class="noprint">点击表头排序。</span>复制比不计官方提法与基础文件；模板复制比：来自 ${esc(data.parameters.template_min || 5)} 份以上报告共有的段落。</p></section>`;
  }
  /* A row's height until the drawn rows are measured: on the small side,
   * so that the first screen drawn is never short of rows. */
  const PITCH_GUESS = 24;
  /* Draws the rows in view (all of them when few or printing); again only
   * when the rows in view leave those drawn, or when forced.  The first
   * drawing is a screen of rows from the top and nothing else: asking
   * where the table stands, or how high its rows are, would lay the page
   * out before its first paint (twice, with the rows drawn again); the
   * rows are measured once they are on the screen, and then a screen
   * either side is drawn. */
  function rankingDraw(force) {
    const table = document.getElementById('ranking');
    if (!table) return;
    const body = table.tBodies[0];
    const n = ranking.rows.length;
    const virtual = !ranking.all && n > VIRTUAL_FROM;
    if (!force && !virtual) return; /* all rows are drawn already */
    let from = 0;
    let to = n;
    const pitch = ranking.pitch || PITCH_GUESS;
    if (virtual) {
      const screen = Math.max(20, Math.ceil(window.innerHeight / pitch));
      /* the first row in view; fewer rows (a filter) than scrolled past: the last screen */
      const top = ranking.pitch ? -body.getBoundingClientRect().top : 0;
      const first = Math.min(Math.max(0, Math.floor(top / pitch)), Math.max(0, n - screen));
      if (!force && first >= ranking.from && Math.min(n, first + screen) <= ranking.to) return;
      from = ranking.pitch ? Math.max(0, first - screen) : first;
      to = Math.min(n, first + (ranking.pitch ? 2 : 1) * screen);
    }
    const spacer = (count, side) => (count > 0 ? `<tr class="spacer ${side}" aria-hidden="true">` +
      `<td colspan="${columns.length}" style="height:${count * pitch}px"></td></tr>` : '');
    body.innerHTML = (virtual ? spacer(from, 'before') : '') + ranking.rows.slice(from, to).map(rankingRow).join('') +
      (virtual ? spacer(n - to, 'after') : '');
    /* after the rows are replaced: with all 2,000 rows still there (after
     * printing), cutting every cell to one line took 45-60 s of layout */
    table.classList.toggle('virtual', virtual);
    ranking.from = from;
    ranking.to = to;
    if (virtual && !ranking.pitch && to > from && !ranking.measuring) {
      ranking.measuring = true;
      requestAnimationFrame(() => setTimeout(rankingMeasure, 0));
    }
  }
  /* The rows' pitch (borders included), once, after they were painted: the
   * spacers stand for it. */
  function rankingMeasure() {
    ranking.measuring = false;
    const table = document.getElementById('ranking');
    const drawn = table ? table.tBodies[0].querySelectorAll('tr[data-doc]') : [];
    if (ranking.pitch || !drawn.length) return; /* measured, or another view */
    const box = (k) => drawn[k].getBoundingClientRect();
    const pitch = (box(drawn.length - 1).bottom - box(0).top) / drawn.length;
    if (pitch > 0) { /* 0 while the page is not laid out (hidden) */
      ranking.pitch = pitch;
      rankingDraw(true);
    }
  }
  function rankingRefresh() {
    ranking.rows = rankingRows();
    const table = document.getElementById('ranking');
    table.dataset.rows = ranking.rows.length;
    document.querySelectorAll('#ranking th').forEach((th) => {
      if (th.dataset.key === ranking.key) th.setAttribute('aria-sort', ranking.dir < 0 ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
    });
    document.getElementById('row-count').textContent = `${ranking.rows.length} 份报告`;
    /* on paper the filter and the order are said: the tools are not printed */
    const filters = [ranking.filter ? `筛选“${ranking.filter}”` : '', ranking.min ? `复制比 ≥ ${ranking.min * 100}%` : '']
      .filter((x) => x);
    const column = columns.find((c) => c.key === ranking.key);
    document.getElementById('ranking-state').textContent =
      `${filters.length ? `${filters.join('，')}：` : ''}${ranking.rows.length} 份报告` +
      `${filters.length ? `（共 ${byRatio.length} 份）` : ''}，按${column.label}${ranking.dir < 0 ? '从高到低' : '从低到高'}排列。`;
    rankingDraw(true);
  }
  function rankingWire() {
    document.getElementById('min-ratio').value = String(ranking.min);
    document.querySelector('#ranking thead').addEventListener('click', (e) => {
      const th = e.target.closest('th');
      if (!th) return;
      const key = th.dataset.key;
      ranking.dir = key === ranking.key ? -ranking.dir : (columns.find((c) => c.key === key).num && key !== 'rank' && key !== 'year' ? -1 : 1);
      ranking.key = key;
      rankingRefresh();
    });
    document.getElementById('filter').addEventListener('input', (e) => { ranking.filter = e.target.value; rankingRefresh(); });
    document.getElementById('min-ratio').addEventListener('change', (e) => { ranking.min = Number(e.target.value); rankingRefresh(); });
    document.getElementById('csv-button').addEventListener('click', downloadCsv);
    rankingRefresh();
  }
  let drawQueued = false;
  const rankingFollow = () => {
    if (drawQueued || !document.getElementById('ranking')) return;
    drawQueued = true;
    requestAnimationFrame(() => { drawQueued = false; rankingDraw(false); });
  };
  window.addEventListener('scroll', rankingFollow, { passive: true });
  window.addEventListener('resize', rankingFollow);
  /* The rows as shown (filter and order), the same columns as the CSV that
   * gw-report writes beside the page. */
  function downloadCsv() {
    const q = (v) => (v == null ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const r1 = (x) => (x == null ? '' : (x * 100).toFixed(1) + '%');
    let csv = '\ufeff单位,年份,文件,标题,字数,复制字数,复制比,模板复制比,少数来源复制比,本单位往年复制比,最大来源,最大来源占比,复制段落数,最长段落字数\r\n';
    for (const i of rankingRows()) {
      const d = docs[i];
      csv += [q(d.unit), d.year || '', q(d.path), q(d.title), d.characters, d.copied, r1(d.copy_ratio), r1(d.template_ratio),
        r1(d.few_ratio), r1(d.self_copy), q(d.largest_source == null ? '' : docs[d.largest_source].path),
        r1(d.largest_share), d.passages, d.longest].join(',') + '\r\n';
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    a.download = 'ranking.csv';
    a.click();
  }

  /* ---- families ---- */
  /* A family of hundreds of reports lists its first members; the others
   * are in a closed <details>, which costs no layout until opened. */
  const MEMBERS_SHOWN = 12;
  function groupMembers(members) {
    const item = (m) => `<li>${docLink(m.doc, unitName)}${docs[m.doc].year ? ` ${docs[m.doc].year}` : ''}` +
      `${m.line ? ` <a href="#doc/${m.doc}/L${m.range ? m.range[0] : 0}">${place(m.line, m.column)}</a>` : ''}</li>`;
    const rest = members.length - MEMBERS_SHOWN;
    return `<ol class="members">${members.slice(0, MEMBERS_SHOWN).map(item).join('')}</ol>` +
      (rest > 0 ? `<details class="more-members"><summary>其余 ${rest} 份</summary>` +
        `<ol class="members" start="${MEMBERS_SHOWN + 1}">${members.slice(MEMBERS_SHOWN).map(item).join('')}</ol></details>` : '');
  }
  const groupCount = () => (data.has_families ? data.families.length : data.summary.clusters || 0);
  /* The families (or clusters) from..to-1. */
  function groupList(from, to) {
    if (!groupCount()) return data.has_families ? '<p class="muted">没有三份以上报告共有的段落。</p>' : '<p class="muted">没有相似段落簇。</p>';
    let h = '';
    for (let k = from; k < Math.min(to, groupCount()); k++) {
      if (data.has_families) {
        const f = data.families[k];
        const first = f.members[f.text_member] || f.members[0];
        h += `<div class="family" id="family-${k}"><b>家族 ${k + 1}</b>：${int(f.documents)} 份报告，` +
          `${f.size != null && f.size !== f.documents ? `${int(f.size)} 处，` : ''}${int(f.characters)} 字` +
          `${f.earliest_year ? `，最早 ${f.earliest_year} 年：${first ? docLink(first.doc) : ''}` : first ? `（原文取自 ${docLink(first.doc)}）` : ''}` +
          `<blockquote>${esc(f.text)}</blockquote>${groupMembers(f.members)}</div>`;
        continue;
      }
      const c = lateValue('clusters', k);
      const m = c.members[0];
      const whole = m && m.range ? docText(m.doc) : null;
      const text = whole ? whole.slice(m.range[0], m.range[1]) : '';
      h += `<div class="family" id="cluster-${k}"><b>段落簇 ${k + 1}</b>：${int(c.documents)} 份报告，${int(c.size)} 段，` +
        `Jaccard ${c.min_jaccard}–${c.max_jaccard}<blockquote>${esc(text)}</blockquote>${groupMembers(c.members)}</div>`;
    }
    return h;
  }
  /* The first GROUPS_AT_ONCE, then more as the end of the list comes into
   * view (or its button is clicked); printing draws them all. */
  const GROUPS_AT_ONCE = 30;
  function familiesView() {
    return `<section class="print-section"><h2>${data.has_families ? '模板家族' : '相似段落簇'}</h2>` +
      `<p class="muted">${data.has_families
        ? '同一段文字出现在多份报告中：按报告数排列，文字取最早（或第一份）的报告原文。'
        : '本报告的数据不含模板家族（较早版本的 gw-dups）；这里列出相似段落簇。'}` +
      `${groupCount() ? ` 共 ${int(groupCount())} 组。` : ''}</p>` +
      `<div id="groups" data-shown="${Math.min(GROUPS_AT_ONCE, groupCount())}">${groupList(0, GROUPS_AT_ONCE)}</div>` +
      `<p class="noprint"><button type="button" id="more-groups"${groupCount() > GROUPS_AT_ONCE ? '' : ' hidden'}>显示更多</button></p></section>`;
  }
  function moreGroups(all) {
    const box = document.getElementById('groups');
    const button = document.getElementById('more-groups');
    if (!box) return;
    const shown = Number(box.dataset.shown);
    const to = all ? groupCount() : shown + GROUPS_AT_ONCE;
    if (shown >= groupCount()) return;
    box.insertAdjacentHTML('beforeend', groupList(shown, to));
    box.dataset.shown = Math.min(to, groupCount());
    button.hidden = Number(box.dataset.shown) >= groupCount();
  }
  function familiesWire() {
    const button = document.getElementById('more-groups');
    button.addEventListener('click', () => moreGroups(false));
    if (window.IntersectionObserver) {
      new IntersectionObserver((seen) => { if (seen.some((e) => e.isIntersecting)) moreGroups(false); },
        { rootMargin: '600px' }).observe(button);
    }
  }

  /* ---- pair view ---- */
  /* A unit's reports of two years are told apart by their year. */
  const yearOf = (i) => (docs[i].year ? ` ${docs[i].year}` : '');
  function pairView(k) {
    const p = pairs[k];
    if (!p) return `<p>没有这一对报告。</p>`;
    const passages = passagesOf(k);
    const side = (which, doc) => {
      const d = docs[doc];
      const other = which === 'a' ? 'b' : 'a';
      const spans = passages.map((s) => {
        const copy = s.kind === 'copy';
        const here = place(s['line_' + which], s['column_' + which]);
        const there = place(s['line_' + other], s['column_' + other]);
        return {
          r: s[which],
          cls: copy ? 'copy' : s.kind === 'base' ? 'base' : 'official',
          id: copy ? `${which}${s.number}` : null,
          data: copy ? ` data-n="${s.number}"` : '',
          title: copy ? `复制段落 ${s.number}：${s.characters} 字${here ? `，本文${here}` : ''}${there ? `，对方${there}` : ''}`
            : s.kind === 'base' ? '基础文件的文字（不计）' : '官方提法（不计）',
          head: copy ? `<a class="pn" href="#pair/${k}/${other}${s.number}">${s.number}</a>` : '',
        };
      });
      const text = docText(doc);
      const body = text == null
        ? `<p class="muted">原文无法读取（${esc(d.error)}）。复制段落的文字：</p><ol>` +
          passages.filter((s) => s.kind === 'copy').map((s) => `<li>${esc(s.text || '')}` +
            `${s['line_' + which] ? `<span class="muted">（${place(s['line_' + which], s['column_' + which])}）</span>` : ''}</li>`).join('') + `</ol>`
        : marked(text, spans);
      return `<div class="side side-${which}">${docHead(doc, which === 'a' ? '甲' : '乙')}<div class="text">${body}</div></div>`;
    };
    const copies = passages.filter((s) => s.kind === 'copy');
    const other = passages.length - copies.length;
    return `<section class="print-section pair" id="pair"><h2>对比：${esc(unitName(p.a))}${yearOf(p.a)} ↔ ${esc(unitName(p.b))}${yearOf(p.b)}</h2>` +
      `<p>相似度 <b>${pct(p.similarity)}</b> · 甲复制字数 ${int(p.copied_a)} · 乙复制字数 ${int(p.copied_b)} · ` +
      `复制段落 ${copies.length}${other ? ` · 官方提法／基础文件 ${other} 处（不计）` : ''}</p>` +
      `<p class="legend"><mark class="copy">复制段落（编号，点击跳到对方）</mark> <mark class="official">官方提法（不计）</mark> ` +
      `<mark class="base">基础文件（不计）</mark></p>` +
      `<table class="passages"><thead><tr><th>#</th><th>字数</th><th>甲 行</th><th>甲 列</th><th>乙 行</th><th>乙 列</th></tr></thead><tbody>` +
      copies.map((s) => `<tr><td><a href="#pair/${k}/a${s.number}">${s.number}</a></td><td class="num">${s.characters}</td>` +
        ['line_a', 'column_a', 'line_b', 'column_b'].map((key) => `<td class="num">${s[key] || '—'}</td>`).join('') + `</tr>`).join('') +
      `</tbody></table><h3>原文</h3><div class="cols">${side('a', p.a)}${side('b', p.b)}</div></section>`;
  }

  /* ---- document view ---- */
  /* What a source is to the report (gw-archive check's relation). */
  const RELATIONS = { self_earlier: '本单位往年', same_unit: '本单位', self_later: '本单位后来', other_unit: '其他单位', unknown: '单位不明' };
  /* Where a source's passages stand in the report, in the text's order,
   * each a link to it in the text. */
  const PLACES_SHOWN = 20;
  function sourcePlaces(i, places) {
    const list = places.filter((x) => x.here).sort((x, y) => x.line - y.line || x.column - y.column);
    if (!list.length) return '';
    return `<div class="places">位置：${list.slice(0, PLACES_SHOWN).map((x) =>
      (x.start == null ? x.here : `<a href="#doc/${i}/L${x.start}">${x.here}</a>`)).join('、')}` +
      `${list.length > PLACES_SHOWN ? ` 等 ${list.length} 处` : ''}</div>`;
  }
  function docView(i) {
    const d = docs[i];
    if (!d) return `<p>没有这份报告。</p>`;
    const sources = [];
    const number = new Map();
    const spans = [];
    pairs.forEach((p, k) => {
      if (p.a !== i && p.b !== i) return;
      const me = p.a === i ? 'a' : 'b';
      const other = p.a === i ? p.b : p.a;
      for (const s of passagesOf(k)) {
        /* without the original (s[me] null) its sources and places are still listed */
        if (s.kind !== 'copy') {
          spans.push({ r: s[me], cls: s.kind === 'base' ? 'base' : 'official', title: s.kind === 'base' ? '基础文件（不计）' : '官方提法（不计）' });
          continue;
        }
        if (!number.has(other)) {
          number.set(other, sources.length + 1);
          sources.push({ doc: other, pair: k, places: [] });
        }
        const n = number.get(other);
        const here = place(s['line_' + me], s['column_' + me]);
        sources[n - 1].places.push({ start: s[me] ? s[me][0] : null, line: s['line_' + me], column: s['column_' + me] || 0, here });
        spans.push({ r: s[me], cls: `copy src${(n - 1) % 6}`, title: `来源 ${n}：${docName(other)}${here ? `，${here}` : ''}`,
          head: `<a class="sn" href="#pair/${k}/${me}${s.number}">${n}</a>` });
      }
    });
    const listed = (lateValue('sources', i) || []).map((s) => s.doc);
    sources.sort((x, y) => {
      const a = listed.indexOf(x.doc);
      const b = listed.indexOf(y.doc);
      return (a < 0 ? 1e9 : a) - (b < 0 ? 1e9 : b);
    });
    const shareOf = new Map((lateValue('sources', i) || []).map((s) => [s.doc, s]));
    const bases = (lateValue('base_sources', i) || []).map((s) => `<li>${docLink(s.doc)}：${int(s.characters)} 字，${pct(s.share)}</li>`).join('');
    return `<section class="print-section" id="document"><h2>全文：${esc(docName(i))}${d.is_base ? '（基础文件）' : ''}</h2>${docHead(i)}` +
      `<p>复制字数 ${int(d.copied)} · 官方提法 ${int(d.official)} 字（不计） · 复制段落 ${d.passages} · 最长 ${d.longest || 0} 字</p>` +
      `<h3>来源</h3>${sources.length ? `<ol class="sources">` + sources.map((s) => {
        const share = shareOf.get(s.doc);
        return `<li><mark class="src${(number.get(s.doc) - 1) % 6}">来源 ${number.get(s.doc)}</mark> ${docLink(s.doc, unitName)}` +
          `${docs[s.doc].year ? ` ${docs[s.doc].year}` : ''}${share && RELATIONS[share.relation] ? `（${RELATIONS[share.relation]}）` : ''}` +
          `${share ? `：${int(share.characters)} 字，${pct(share.share)}` : ''} · <a href="#pair/${s.pair}">对比</a>` +
          `${sourcePlaces(i, s.places)}</li>`;
      }).join('') + `</ol>` : '<p class="muted">没有找到复制来源。</p>'}` +
      `${bases ? `<h3>取自基础文件的文字（不计）</h3><ul>${bases}</ul>` : ''}` +
      `<h3>原文</h3><div class="text">${textOrError(i, spans)}</div></section>`;
  }

  /* ---- similarity map ---- */
  /* Documents in pairs, by connected group (largest first), each group in
   * breadth-first order from its most connected member, so that a ring of
   * reports copying one another shows as a block on the diagonal. */
  function mapOrder(limit) {
    const adj = new Map();
    const add = (x, y, w) => { if (!adj.has(x)) adj.set(x, []); adj.get(x).push([y, w]); };
    for (const p of pairs) {
      const w = p.similarity || 0;
      add(p.a, p.b, w);
      add(p.b, p.a, w);
    }
    const weight = (x) => adj.get(x).reduce((s, e) => s + e[1], 0);
    const seen = new Set();
    const groups = [];
    for (const start of [...adj.keys()].sort((x, y) => x - y)) {
      if (seen.has(start)) continue;
      const members = [];
      const stack = [start];
      seen.add(start);
      while (stack.length) {
        const x = stack.pop();
        members.push(x);
        for (const [y] of adj.get(x)) if (!seen.has(y)) { seen.add(y); stack.push(y); }
      }
      const root = members.reduce((best, x) => (weight(x) > weight(best) || (weight(x) === weight(best) && x < best) ? x : best));
      const order = [root];
      const placed = new Set([root]);
      for (let h = 0; h < order.length; h++) {
        const next = adj.get(order[h]).filter(([y]) => !placed.has(y)).sort((u, v) => v[1] - u[1] || u[0] - v[0]);
        for (const [y] of next) if (!placed.has(y)) { placed.add(y); order.push(y); }
      }
      groups.push(order);
    }
    groups.sort((x, y) => y.length - x.length || x[0] - y[0]);
    return groups.flat().slice(0, limit);
  }
  const MAP_LIMIT = 400;
  function mapView() {
    const order = mapOrder(MAP_LIMIT);
    const involved = new Set(pairs.flatMap((p) => [p.a, p.b])).size;
    return `<section class="print-section"><h2>相似度矩阵</h2>` +
      `<p class="muted">${order.length} 份有复制关系的报告${involved > order.length ? `（共 ${involved} 份，只显示按组排列的前 ${MAP_LIMIT} 份）` : ''}；` +
      `相互复制的一组报告排在一起，显示为对角线上的方块。颜色越深相似度越高，点击格子打开这一对报告。</p>` +
      `<div id="map-tip" class="muted"></div><div class="map-wrap"><canvas id="map-canvas"></canvas></div>` +
      `<ol class="map-legend members">${order.map((i) => `<li>${docLink(i)}</li>`).join('')}</ol></section>`;
  }
  function mapWire() {
    const order = mapOrder(MAP_LIMIT);
    const canvas = document.getElementById('map-canvas');
    const n = order.length;
    if (!n) return;
    const cell = Math.max(2, Math.min(16, Math.floor(800 / n)));
    canvas.width = canvas.height = n * cell;
    const g = canvas.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, n * cell, n * cell);
    const pos = new Map(order.map((d, k) => [d, k]));
    for (const p of pairs) {
      if (!pos.has(p.a) || !pos.has(p.b)) continue;
      const level = Math.min(1, 0.15 + (p.similarity || 0) * 1.7);
      g.fillStyle = `rgba(138, 28, 28, ${level})`;
      g.fillRect(pos.get(p.a) * cell, pos.get(p.b) * cell, cell, cell);
      g.fillRect(pos.get(p.b) * cell, pos.get(p.a) * cell, cell, cell);
    }
    g.fillStyle = '#999';
    for (let k = 0; k < n; k++) g.fillRect(k * cell, k * cell, cell, cell);
    const at = (e) => {
      const r = canvas.getBoundingClientRect();
      const x = Math.floor(((e.clientX - r.left) * canvas.width) / r.width / cell);
      const y = Math.floor(((e.clientY - r.top) * canvas.height) / r.height / cell);
      return x >= 0 && y >= 0 && x < n && y < n ? [order[x], order[y]] : null;
    };
    const tip = document.getElementById('map-tip');
    canvas.addEventListener('mousemove', (e) => {
      const c = at(e);
      const k = c && pairIndex.get(pairKey(c[0], c[1]));
      tip.textContent = c ? `${docName(c[1])} ↔ ${docName(c[0])}${k != null ? `：相似度 ${pct(pairs[k].similarity)}` : ''}` : '';
    });
    canvas.addEventListener('click', (e) => {
      const c = at(e);
      const k = c && pairIndex.get(pairKey(c[0], c[1]));
      if (k != null) location.hash = `#pair/${k}`;
    });
  }

  /* ---- draft view (gw-gap) ---- */
  const SECTION_NAMES = { work_done: '工作开展情况', problems: '存在的问题', next_steps: '下一步工作打算', other: '其他部分', none: '开头部分' };
  /* gw-gap names a section as the references name it; an older one gave only its key */
  const sectionName = (x) => x.name || SECTION_NAMES[x.section] || x.section;
  /* The draft's sections against the references' (gw-gap's structure):
   * a section most references have and the draft lacks, or one under a
   * third of the references' median length, said first, in words. */
  function draftStructure(g) {
    const list = g.structure || [];
    if (!list.length) return '';
    const verdict = (x) => (x.gap === 'missing' ? '<b>缺少此部分</b>'
      : x.gap === 'shorter' ? `<b>明显偏短</b>（不到参考中位数的三分之一）`
        : x.draft_characters == null ? '草稿没有此部分（多数参考报告也没有）' : '—');
    return `<h3>报告结构</h3><table id="structure"><thead><tr><th>部分</th><th>有此部分的参考报告</th>` +
      `<th>参考报告字数（中位数）</th><th>草稿字数</th><th>判断</th></tr></thead><tbody>` +
      list.map((x) => `<tr class="${x.gap ? `gap-${esc(x.gap)}` : ''}"><td>${esc(sectionName(x))}</td>` +
        `<td class="num">${int(x.references)} / ${int(g.references)}</td><td class="num">${int(x.median_characters)}</td>` +
        `<td class="num">${x.draft_characters == null ? '无' : int(x.draft_characters)}</td><td>${verdict(x)}</td></tr>`).join('') +
      `</tbody></table>`;
  }
  /* Each finding: its badge and mark in the text, its row in the table. */
  const OUTDATED_KINDS = { superseded: '提法已更新', meeting: '会议已不是最新', renamed: '机构已更名' };
  const findingKinds = (g) => [
    { list: g.broken || [], key: 'broken', badge: '误', legend: '提法不完整或有误',
      title: (b) => `提法不完整：应为“${b.term}”`,
      cells: (b) => [b.found, b.term,
        `${b.missing && b.missing.length ? `缺少 ${b.missing.join('、')}` : ''}` +
        `${b.altered && b.altered.length ? `改动 ${b.altered.map((x) => `${x.found}→${x.part}`).join('、')}` : ''}` +
        `${(b.problems || []).filter((p) => p !== 'missing' && p !== 'altered').join('、')}`] },
    { list: g.outdated || [], key: 'outdated', badge: '旧', legend: '过时提法',
      title: (o) => `过时提法：${o.since ? o.since + ' 年起' : ''}应为“${o.superseded_by}”`,
      cells: (o) => [o.term, o.superseded_by, `${OUTDATED_KINDS[o.kind] || '已更新'}${o.since ? `（${o.since} 年起）` : ''}`] },
    { list: g.stale || [], key: 'stale', badge: '过', legend: '已结束的工作仍作为当前工作',
      title: (t) => `已结束：${t.term}${t.ended ? `于 ${t.ended} 年结束` : ''}，不宜写作正在开展`,
      cells: (t) => [t.term, '删去，或改写为已完成的工作',
        `${t.started || t.ended ? `${t.started || '？'}–${t.ended || '？'} 年，` : ''}已结束，不宜写作正在开展`] },
  ];
  function draftView() {
    const g = data.gap;
    if (!g) return '<p>本报告不含草稿检查的数据（由 gw-gap 生成）。</p>';
    const kinds = findingKinds(g);
    const spans = [];
    const rows = [];
    for (const kind of kinds) {
      kind.list.forEach((f, k) => {
        const id = `${kind.key}-${k + 1}`;
        spans.push({ r: f.range, cls: kind.key, id, title: kind.title(f), head: `<span class="sn">${kind.badge}${k + 1}</span>` });
        rows.push(`<tr><td><a href="#draft/x/${id}">${kind.badge}${k + 1}</a></td>` +
          kind.cells(f).map((c) => `<td>${esc(c)}</td>`).join('') +
          `<td class="num">${f.line || '—'}</td><td class="num">${f.column || '—'}</td></tr>`);
      });
    }
    const structure = g.structure || [];
    const lacking = structure.filter((x) => x.gap === 'missing').length;
    const short = structure.filter((x) => x.gap === 'shorter').length;
    const example = (m) => (m.example ? `${esc(m.example.text)}<div class="path">${esc(m.example.path)}` +
      `${m.example.line ? ` ${place(m.example.line, m.example.column)}` : ''}` +
      `${m.example.section ? ` · ${esc(sectionName(m.example))}` : ''}</div>` : '—');
    return `<section class="print-section" id="draft"><h2>草稿检查：${esc(docName(g.draft))}</h2>${docHead(g.draft)}` +
      `<p>对照 ${int(g.references)} 份参考报告${g.year ? ` · 草稿年份 ${g.year}` : ''}` +
      `${structure.length ? ` · 缺少 <b>${lacking}</b> 个部分 · 偏短 <b>${short}</b> 个部分` : ''}` +
      ` · 缺少 <b>${g.missing.length}</b> 个常用提法 · ` +
      kinds.map((kind) => `${kind.legend} <b>${kind.list.length}</b> 处`).join(' · ') + `</p>` +
      draftStructure(g) +
      `<p class="legend">${kinds.map((kind) => `<mark class="${kind.key}">${kind.legend}</mark>`).join(' ')}</p>` +
      (rows.length ? `<table id="findings"><thead><tr><th>#</th><th>原文</th><th>应为</th><th>问题</th><th>行</th><th>列</th></tr></thead>` +
        `<tbody>${rows.join('')}</tbody></table>` : '') +
      `<h3>缺少的提法</h3>${g.missing.length ? `<table id="missing"><thead><tr><th>提法</th><th>类别</th><th>参考报告使用</th><th>所在部分</th><th>例句</th></tr></thead><tbody>` +
        g.missing.map((m) => `<tr><td>${esc(m.term)}${m.checklist ? ' <span class="muted">（清单）</span>' : ''}</td><td>${esc(m.category)}</td>` +
          `<td class="num">${int(m.documents)}（${pct(m.share)}）</td><td>${(m.sections || []).map((x) => `${esc(sectionName(x))} ${x.count}`).join('、')}</td>` +
          `<td>${example(m)}</td></tr>`).join('') +
        `</tbody></table>` : '<p class="muted">没有缺少的常用提法。</p>'}` +
      `<h3>草稿原文</h3><div class="text">${textOrError(g.draft, spans)}</div></section>`;
  }

  /* ---- routing ---- */
  let shown = '';
  /* Views that show the reports' text wait for the rest of the file. */
  const needsLate = (view) => view === 'pair' || view === 'doc' || view === 'draft' ||
    (!data.has_families && view !== 'ranking' && view !== 'map'); /* clusters show text */
  function route() {
    const parts = (location.hash.replace(/^#/, '') || (data.gap ? 'draft' : 'overview')).split('/');
    const view = parts[0];
    const key = parts.slice(0, 2).join('/');
    if (needsLate(view) && !complete()) {
      main.innerHTML = '<p class="muted" id="loading">正在载入原文…</p>';
      shown = '';
      document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
      return;
    }
    if (key !== shown) {
      if (view === 'ranking') main.innerHTML = rankingView();
      else if (view === 'families') main.innerHTML = familiesView();
      else if (view === 'map') main.innerHTML = mapView();
      else if (view === 'pair') main.innerHTML = pairView(Number(parts[1]));
      else if (view === 'doc') main.innerHTML = docView(Number(parts[1]));
      else if (view === 'draft') main.innerHTML = draftView();
      else main.innerHTML = overview();
      if (view === 'ranking') rankingWire();
      if (view === 'map') mapWire();
      if (view === 'families') familiesWire();
      shown = key;
      window.scrollTo(0, 0);
    }
    document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
    if (parts[2]) focus(parts[2], view === 'doc' ? Number(parts[2].slice(1)) : null);
  }
  /* Scroll to a passage (#pair/N/b3) or a text position (#doc/N/L120). */
  function focus(target, position) {
    document.querySelectorAll('mark.focus').forEach((m) => m.classList.remove('focus'));
    let el = position == null ? document.getElementById(target) : null;
    if (position != null) {
      const box = document.querySelector('#document .text');
      if (box) {
        const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let t = walker.nextNode(); t; t = walker.nextNode()) {
          if (t.parentElement.classList.contains('sn')) continue;
          if (seen + t.length > position) { el = t.parentElement; break; }
          seen += t.length;
        }
      }
    }
    if (!el) return;
    el.scrollIntoView({ block: 'center' });
    if (el.tagName === 'MARK') el.classList.add('focus');
  }

  /* A draft check has no copy detection: its view alone. */
  if (data.gap) {
    document.querySelectorAll('nav a').forEach((a) => { a.hidden = true; });
    const a = document.createElement('a');
    a.href = '#draft';
    a.dataset.view = 'draft';
    a.textContent = '草稿检查';
    document.getElementById('nav').prepend(a);
  }
  document.getElementById('report-title').textContent = data.title;
  document.title = data.title;
  document.getElementById('print-button').addEventListener('click', () => window.print());
  window.addEventListener('hashchange', route);
  document.addEventListener('DOMContentLoaded', () => { if (!shown) route(); });
  /* Printed, the ranking has all its rows. */
  window.addEventListener('beforeprint', () => {
    ranking.all = true;
    rankingDraw(true);
    moreGroups(true);
    document.querySelectorAll('details.more-members').forEach((d) => { d.open = true; });
  });
  window.addEventListener('afterprint', () => { ranking.all = false; rankingDraw(true); });
  route();
})();
