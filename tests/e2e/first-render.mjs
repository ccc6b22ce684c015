// Measures one cold load of the playground: milliseconds from navigation start to the first
// contentful paint and to the first interactive render (the article's example loaded, the
// observed matrix drawn, Train enabled), the bytes transferred, and the main thread's tasks over
// 50 ms until then (with what ran in their frames). Used by a browser test and
// by bench/first_render.mjs.

/**
 * @param {import('playwright-core').BrowserContext} ctx
 * @param {string} url
 */
export async function measureFirstRender(ctx, url) {
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__fcp = NaN;
    // Main-thread tasks over 50 ms from navigation on, and what ran in the frames around them.
    w.__firstTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__firstTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
    w.__firstFrames = [];
    new PerformanceObserver((list) => {
      for (const e of /** @type {any[]} */ (list.getEntries())) {
        w.__firstFrames.push({ start: Math.round(e.startTime), duration: Math.round(e.duration), scripts: e.scripts.map((/** @type {any} */ x) => `${x.invoker} ${x.sourceURL?.split('/').pop() ?? ''} ${Math.round(x.duration)} ms`) });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'first-contentful-paint') w.__fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
    // Ready: idle, data loaded, Train enabled, and the observed matrix drawn at its size.
    const ready = () => {
      const root = document.querySelector('.mfp');
      const train = /** @type {HTMLButtonElement | null} */ (document.querySelector('.mfp-train'));
      const canvas = /** @type {HTMLCanvasElement | null} */ (document.querySelector('.mfp-panel-observed canvas'));
      return root?.getAttribute('data-status') === 'idle' && root.getAttribute('data-loading') === 'false'
        && train && !train.disabled && canvas && canvas.width > 0;
    };
    const watch = new MutationObserver(() => {
      if (ready()) {
        watch.disconnect();
        // The frame that shows it.
        requestAnimationFrame(() => { w.__interactive = performance.now(); });
      }
    });
    watch.observe(document, { subtree: true, attributes: true, childList: true });
  });
  await page.goto(url);
  await page.waitForFunction(() => /** @type {any} */ (window).__interactive > 0, null, { timeout: 30_000 });
  const { interactive, fcp, longTasks } = await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    const tasks = w.__firstTasks.filter((/** @type {any} */ t) => t.start <= w.__interactive);
    return {
      interactive: w.__interactive,
      fcp: w.__fcp,
      longTasks: tasks.map((/** @type {any} */ t) => ({ ...t, frame: w.__firstFrames.find((/** @type {any} */ f) => f.start <= t.start + 1 && t.start < f.start + f.duration) ?? null })),
    };
  });
  await page.close();
  return { interactive, fcp, bytes, longTasks };
}
