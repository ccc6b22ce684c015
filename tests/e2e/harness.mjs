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
export async function startServer(root = ROOT, base = '/') {
  const proc = spawn('python3', [join(ROOT, 'tools', 'serve.py'), '--port', '0', '--root', root, '--base', base, '--quiet'], {
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
 * Opens a page that records console errors, page errors, failed requests and long tasks.
 * @param {import('playwright-core').BrowserContext} ctx
 * @param {string} url
 */
export async function openPage(ctx, url) {
  const page = await ctx.newPage();
  const problems = /** @type {string[]} */ ([]);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  await page.addInitScript(() => {
    /** @type {any} */ (window).__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) /** @type {any} */ (window).__longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(url);
  return { page, problems };
}

/** Saves a screenshot under tests/e2e/artifacts/ and returns its path. */
export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
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
