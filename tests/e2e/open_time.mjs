// By hand: how long reports take to open in headless Chromium, RUNS runs
// each (default 5) in a fresh page, the files in turn, medians with the
// range in brackets:
//   painted  from the navigation to the first view drawn and the next frame
//            painted (timing.mjs): what the reader waits for;
//   parsed   to DOMContentLoaded: the whole file parsed, reports' texts
//            included (pair and document views wait for it);
//   cpu      the renderer's main thread's CPU time for the whole opening
//            (Chrome's ThreadTime in thread ticks: parsing, script, style,
//            layout, paint), which a loaded machine inflates far less than
//            wall time.  tests/bench/report/profile.mjs splits it.
//   node tests/e2e/open_time.mjs [--hash '#ranking'] REPORT.html...
//   (GW_CHROMIUM: the browser; RUNS: how many runs)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { marker, pageTimes } from './timing.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const args = process.argv.slice(2);
let hash = '#ranking';
if (args[0] === '--hash') { hash = args[1]; args.splice(0, 2); }
const runs = Number(process.env.RUNS || 5);
const browser = await chromium.launch({
  executablePath: process.env.GW_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'], // containers give /dev/shm 64 MB
});

/* One run: the page's own timings, relative to its navigation start. */
async function openTimes(page, url) {
  await page.addInitScript(marker);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  await page.goto(url, { waitUntil: 'load' });
  const t = await pageTimes(page);
  const { metrics } = await cdp.send('Performance.getMetrics');
  t.cpu = 1000 * metrics.find((m) => m.name === 'ThreadTime').value;
  await cdp.detach();
  return t;
}

const stat = (list) => {
  const s = [...list].sort((a, b) => a - b);
  return `${Math.round(s[s.length >> 1])} (${Math.round(s[0])}-${Math.round(s[s.length - 1])})`;
};
/* The files in turn, run after run (before.html, after.html, before.html,
 * ...), so that a change in the machine's load falls on all of them. */
const times = args.map(() => []);
for (let run = 0; run < runs; run++) {
  for (const [k, file] of args.entries()) {
    const page = await browser.newPage();
    times[k].push(await openTimes(page, pathToFileURL(file).href + hash));
    await page.close();
  }
}
for (const [k, file] of args.entries()) {
  const all = times[k];
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(`${file}${hash}\t${mb} MB\tpainted ${stat(all.map((t) => t.painted))} ms` +
    `\tparsed ${stat(all.map((t) => t.parsed))} ms\tcpu ${stat(all.map((t) => t.cpu))} ms`);
}
await browser.close();
