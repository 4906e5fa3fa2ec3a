// By hand: where the time of opening a report goes, from a Chromium trace.
//   node tests/bench/report/profile.mjs REPORT.html [HASH]   (GW_CHROMIUM: the browser)
// Prints the renderer main thread's top-level tasks by kind (parse HTML,
// script, style, layout, paint) and the heaviest JavaScript functions.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(new URL('../../e2e/', import.meta.url));
const { chromium } = require('playwright-core');
const [file, hash = '#ranking'] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.GW_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
});
const page = await browser.newPage();
await browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'loading'] });
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const start = Date.now();
await page.goto(pathToFileURL(file).href + hash);
await page.waitForSelector(hash === '#ranking' ? '#ranking tbody tr' : 'main section');
const wall = Date.now() - start;
const { profile } = await cdp.send('Profiler.stop');
const trace = JSON.parse((await browser.stopTracing()).toString());
await browser.close();

const events = trace.traceEvents;
const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' &&
  events.some((x) => x.pid === e.pid && x.name === 'ParseHTML'));
const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
const byName = new Map();
for (const e of mine) {
  if (!['ParseHTML', 'EvaluateScript', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint',
    'ParseAuthorStyleSheet', 'v8.compile', 'v8.parseOnBackground', 'TimerFire', 'EventDispatch', 'HitTest',
    'Layerize', 'RunMicrotasks', 'FireAnimationFrame', 'v8.run', 'UpdateLayer', 'CompositeLayers', 'RunTask', 'ThreadControllerImpl::RunTask'].includes(e.name)) continue;
  const v = byName.get(e.name) || { ms: 0, cpu: 0, n: 0 };
  v.ms += e.dur / 1000; v.cpu += (e.tdur || 0) / 1000; v.n++;
  byName.set(e.name, v);
}
console.log(`${file}${hash}: wall ${wall} ms`);
for (const [k, v] of [...byName].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${k.padEnd(28)} ${v.ms.toFixed(0).padStart(6)} ms, cpu ${v.cpu.toFixed(0).padStart(6)} ms  (${v.n})`);
// self time per function from the CPU profile
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
profile.samples.forEach((id, k) => {
  const n = byId.get(id);
  const key = `${n.callFrame.functionName || '(anon)'}:${n.callFrame.lineNumber + 1}`;
  self.set(key, (self.get(key) || 0) + (dt[k + 1] || 0) / 1000);
});
console.log('  JS self time:');
for (const [k, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${k.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms`);
if (process.env.GW_TIMELINE) {
  const t0 = Math.min(...mine.map((e) => e.ts));
  for (const e of mine.filter((x) => x.dur > 5000).sort((a, b) => a.ts - b.ts)) {
    console.log(`  +${((e.ts - t0) / 1000).toFixed(0).padStart(6)} ms ${e.name.padEnd(30)} ${(e.dur / 1000).toFixed(0).padStart(6)} ms ${JSON.stringify(e.args?.data?.url || e.args?.data?.functionName || e.args?.src_func || '').slice(0, 60)}`);
  }
}
if (process.env.GW_NAMES) {
  const all = new Map();
  for (const e of mine) { const v = all.get(e.name) || 0; all.set(e.name, v + e.dur / 1000); }
  for (const [k, ms] of [...all].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`    ${k.padEnd(60)} ${ms.toFixed(0).padStart(6)} ms`);
}
// The main thread's CPU time (trace tdur, which a loaded machine inflates
// far less than wall time) from the navigation's commit to the first paint
// after the page's script: the open time of an idle machine, roughly.
{
  const commit = mine.find((e) => e.name === 'DocumentLoader::CommitNavigation');
  const script = mine.filter((e) => e.name === 'EvaluateScript' && e.args?.data?.url?.startsWith('file:'))
    .sort((a, b) => b.dur - a.dur)[0];
  const paint = mine.filter((e) => e.name === 'Paint' && e.ts > script.ts + script.dur).sort((a, b) => a.ts - b.ts)[0];
  const tasks = mine.filter((e) => e.name === 'RunTask' && e.ts + e.dur >= commit.ts && e.ts <= paint.ts);
  const cpu = tasks.reduce((s, e) => s + (e.tdur || 0), 0) / 1000;
  console.log(`  to the first paint after the script: wall ${((paint.ts + paint.dur - commit.ts) / 1000).toFixed(0)} ms, main-thread cpu ${cpu.toFixed(0)} ms`);
  /* the same CPU in three: the file read up to the script (decoding and
   * tokenizing what stands before it), the script's first run, and from
   * there to the paint (style, layout, paint) */
  const cpuOf = (list) => list.reduce((s, e) => s + (e.tdur || 0), 0) / 1000;
  const before = cpuOf(tasks.filter((e) => e.ts + e.dur <= script.ts));
  const own = (script.tdur || 0) / 1000;
  console.log(`    before the script ${before.toFixed(0)} ms, the script ${own.toFixed(0)} ms, ` +
    `after it ${(cpu - before - own).toFixed(0)} ms (cpu)`);
}
