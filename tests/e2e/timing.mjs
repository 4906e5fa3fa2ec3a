// Open times measured inside the page (report.test.mjs and open_time.mjs).
// `marker` runs in the page before its own script (page.addInitScript): it
// marks when the first view is drawn (a <section> in <main>) and when the
// frame after that is painted, so that the figures are the page's own,
// from its navigation start, without the harness's round trips.
export const marker = () => {
  new MutationObserver((_, observer) => {
    const main = document.getElementById('main');
    if (!main || !main.querySelector('section')) return;
    observer.disconnect();
    performance.mark('gw-drawn');
    requestAnimationFrame(() => setTimeout(() => performance.mark('gw-painted'), 0));
  }).observe(document, { childList: true, subtree: true });
};

/* After page.goto: waits for the paint, returns {drawn, painted, parsed}
 * in ms from the navigation start (parsed: DOMContentLoaded, the whole file
 * parsed, the reports' texts included). */
export async function pageTimes(page) {
  await page.waitForFunction(() => performance.getEntriesByName('gw-painted').length > 0);
  await page.waitForFunction(() => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd > 0);
  return page.evaluate(() => ({
    drawn: performance.getEntriesByName('gw-drawn')[0].startTime,
    painted: performance.getEntriesByName('gw-painted')[0].startTime,
    parsed: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
  }));
}
