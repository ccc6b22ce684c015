// Shared by the browser tests: a static server on 127.0.0.1 and Debian's headless Chromium,
// driven by playwright-core (which never downloads a browser).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ARTIFACTS = join(ROOT, 'tests', 'e2e', 'artifacts');

/** Starts tools/serve.py on a free port, serving `root` under the URL path `base`. */
export async function startServer(root = ROOT, base = '/', { isolated = true } = {}) {
  const flags = isolated ? [] : ['--no-isolation'];
  const proc = spawn('python3', [join(ROOT, 'tools', 'serve.py'), '--port', '0', '--root', root, '--base', base, '--quiet', ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 10_000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /Serving on (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { url: /** @type {string} */ (url), stop: () => proc.kill() };
}

function chromiumPath() {
  // /usr/bin/chromium is a shell wrapper; the real binary avoids its noise.
  for (const p of ['/usr/lib/chromium/chromium', '/usr/bin/chromium']) if (existsSync(p)) return p;
  throw new Error('Chromium not found: run tools/setup.sh --test');
}

/** Launches headless Chromium with a fresh profile and the flags this closed network needs. */
export async function launch({ width = 1280, height = 720, colorScheme = 'light' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'mfp-pw-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width, height },
    colorScheme,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  return {
    ctx,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The page's long tasks over 50 ms (since a test last emptied `__longTasks`), each with the long
 * animation frame it was part of, if any: what ran in it.
 * @param {import('playwright-core').Page} page
 */
export async function pageLongTasks(page) {
  return page.evaluate(() => {
    const w = /** @type {any} */ (window);
    return w.__longTasks.filter((/** @type {any} */ t) => t.duration > 50).map((/** @type {any} */ t) => ({
      ...t,
      frame: w.__longFrames.find((/** @type {any} */ f) => f.start <= t.start + 1 && t.start < f.start + f.duration) ?? null,
    }));
  });
}

/**
 * Opens a page that records console errors, page errors, failed requests and long tasks.
 * @param {import('playwright-core').BrowserContext} ctx
 * @param {string} url
 * @param {{ cores?: number }} [options] `cores`: what `navigator.hardwareConcurrency` says on the
 *   page's main thread (not in its workers), e.g. 1 for a page that starts no extra workers
 */
export async function openPage(ctx, url, { cores } = {}) {
  const page = await ctx.newPage();
  const problems = /** @type {string[]} */ ([]);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.addInitScript(() => {
    const w = /** @type {any} */ (window);
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
    // What a long task was, for a failing test's message: each long animation frame's scripts
    // (what called them, how long they ran, their forced layouts) and its rendering's time.
    w.__longFrames = [];
    new PerformanceObserver((list) => {
      for (const e of /** @type {any[]} */ (list.getEntries())) {
        if (e.duration <= 30) continue; // a long task and its frame are timed a little differently
        const end = e.startTime + e.duration;
        w.__longFrames.push({
          start: Math.round(e.startTime), duration: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
          rendering: e.renderStart ? Math.round(end - e.renderStart) : 0,
          scripts: e.scripts.map((/** @type {any} */ x) => `${x.invoker} ${x.sourceFunctionName || ''} ${Math.round(x.duration)} ms (forced layout ${Math.round(x.forcedStyleAndLayoutDuration)} ms)`),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  });
  if (cores) await page.addInitScript((n) => Object.defineProperty(navigator, 'hardwareConcurrency', { get: () => n }), cores);
  await page.goto(url);
  return { page, problems };
}

/**
 * Saves a screenshot of the whole page under tests/e2e/artifacts/ and returns its path.
 *
 * Panels off screen are not rendered until a user scrolls to them (`content-visibility: auto`),
 * and a full-page capture does not scroll: for the capture every panel is rendered, as each
 * looks once scrolled to, and its charts get two frames to draw.
 */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  const show = (/** @type {string} */ how) => page.evaluate((v) => {
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.mfp-panel'))) el.style.contentVisibility = v;
    return new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(done))));
  }, how);
  await show('visible');
  await page.waitForTimeout(300);
  await page.screenshot({ path, fullPage: true });
  await show('');
  return path;
}

/**
 * Registers before/after hooks that start one static server and one browser for a test file,
 * and returns an object whose `server` and `browser` are set once they run.
 * @param {{ before: Function, after: Function }} hooks node:test's before and after
 * @param {Parameters<typeof launch>[0]} [options]
 */
export function useServerAndBrowser({ before, after }, options) {
  const env = /** @type {{ server: any, browser: any }} */ ({ server: null, browser: null });
  before(async () => {
    env.server = await startServer();
    env.browser = await launch(options);
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

/** Waits until the widget is idle at epoch 0 with data loaded. @param {import('playwright-core').Page} page */
export async function ready(page) {
  await page.waitForSelector('.mfp[data-status="idle"][data-loading="false"][data-epoch="0"]');
}

/** Presses Train and waits until the widget is idle at `epochs`. @param {import('playwright-core').Page} page @param {number} epochs */
export async function trainTo(page, epochs) {
  await page.click('.mfp-train');
  await page.waitForSelector(`.mfp[data-status="idle"][data-epoch="${epochs}"]`, { timeout: 30_000 });
}

/** A number of the metrics line, as shown. @param {import('playwright-core').Page} page @param {string} name */
export const metric = async (page, name) => (await page.locator(`[data-metric="${name}"]`).textContent())?.trim();
