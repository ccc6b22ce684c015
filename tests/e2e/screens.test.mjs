// Every panel at classroom-projector and laptop sizes, light and dark: saved as screenshots to
// look at, and checked for what a screenshot shows badly: content wider than the window, text
// cut off in the toolbar, a panel without content.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, openPage, screenshot, startServer } from './harness.mjs';

let server;
before(async () => {
  server = await startServer();
});
after(() => server?.stop());

for (const [width, height] of [[1280, 720], [1920, 1080]]) {
  for (const scheme of ['light', 'dark']) {
    test(`the playground at ${width}x${height}, ${scheme}`, async () => {
      const browser = await launch({ width, height, colorScheme: scheme });
      try {
        const { page, problems } = await openPage(browser.ctx, `${server.url}#data=synthetic&epochs=40`);
        await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
        await page.click('.mfp-train');
        await page.waitForSelector('.mfp[data-status="idle"][data-epoch="40"]');
        await page.locator('.mfp-panel-predicted canvas').scrollIntoViewIfNeeded();
        const box = await page.locator('.mfp-panel-predicted canvas').boundingBox();
        await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.2);
        await page.waitForSelector('.mfp-bars [data-term="score"]');
        await page.waitForFunction(() => /PCA/.test(document.querySelector('.mfp-embed-method')?.textContent ?? ''));
        await page.locator('.mfp-race-start').scrollIntoViewIfNeeded();
        await page.click('.mfp-race-start');
        await page.waitForSelector('.mfp-race[data-race="done"]');
        const layout = await page.evaluate(() => ({
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          empty: [...document.querySelectorAll('.mfp-panel:not([hidden])')].filter((p) => p.getBoundingClientRect().height < 120).map((p) => p.className),
          bg: getComputedStyle(document.querySelector('.mfp')).backgroundColor,
        }));
        assert.ok(layout.overflow <= 0, `page is ${layout.overflow}px wider than the window`);
        assert.deepEqual(layout.empty, []);
        assert.equal(layout.bg, scheme === 'dark' ? 'rgb(20, 23, 28)' : 'rgb(255, 255, 255)');
        await screenshot(page, `playground-${width}x${height}-${scheme}`);
        assert.deepEqual(problems, []);
      } finally {
        await browser.close();
      }
    });
  }
}
