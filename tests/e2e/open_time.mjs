// By hand: how long reports take to open in headless Chromium, from the
// navigation to the ranking's first rows drawn, 3 runs each in a fresh page.
//   node tests/e2e/open_time.mjs REPORT.html...   (GW_CHROMIUM: the browser)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const browser = await chromium.launch({
  executablePath: process.env.GW_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const file of process.argv.slice(2)) {
  const times = [];
  for (let run = 0; run < 3; run++) {
    const page = await browser.newPage();
    const start = Date.now();
    await page.goto(pathToFileURL(file).href + '#ranking');
    await page.waitForSelector('#ranking tbody tr');
    times.push(Date.now() - start);
    await page.close();
  }
  times.sort((a, b) => a - b);
  const mb = (fs.statSync(file).size / 1e6).toFixed(1);
  console.log(`${file}\t${mb} MB\tmin ${times[0]} ms\tmedian ${times[1]} ms\tmax ${times[2]} ms`);
}
await browser.close();
