// By hand: how long reports take to open in headless Chromium, from the
// navigation to the ranking's first rows drawn, 3 runs each in a fresh page;
// beside the wall time, the renderer's busy time (Chrome's TaskDuration:
// script, style, layout, parsing), which a loaded machine inflates less.
//   node tests/e2e/open_time.mjs REPORT.html...   (GW_CHROMIUM: the browser)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.GW_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'], // containers give /dev/shm 64 MB
});
for (const file of process.argv.slice(2)) {
  const times = [];
  const busy = [];
  for (let run = 0; run < 3; run++) {
    const page = await browser.newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const start = Date.now();
    await page.goto(pathToFileURL(file).href + '#ranking');
    await page.waitForSelector('#ranking tbody tr');
    times.push(Date.now() - start);
    const { metrics } = await cdp.send('Performance.getMetrics');
    busy.push(Math.round(1000 * metrics.find((m) => m.name === 'TaskDuration').value));
    await page.close();
  }
  const median = (list) => [...list].sort((a, b) => a - b)[1];
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(`${file}\t${mb} MB\twall: median ${median(times)} ms (${Math.min(...times)}-${Math.max(...times)})` +
    `\trenderer busy: median ${median(busy)} ms (${Math.min(...busy)}-${Math.max(...busy)})`);
}
await browser.close();
