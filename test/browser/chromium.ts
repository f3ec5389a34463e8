// Debian's Chromium (scripts/setup-browser.sh installs it), driven by playwright-core over its pipe.
// Playwright never downloads a browser here: we give it the executable.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run \`bash scripts/setup-browser.sh\``);
  const profile = mkdtempSync(join(tmpdir(), 'gradstep-chromium-profile-'));
  try {
    // A persistent context is how Playwright takes a --user-data-dir of our choosing (a fresh one).
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
    return {
      context,
      async close() {
        try {
          await context.close();
        } finally {
          rmSync(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

export interface PageOutcome<T> {
  ok: boolean;
  result?: T;
  error?: string;
  /** Uncaught errors and console errors/warnings of the page and its workers. */
  messages: string[];
}

/** Opens `url`, waits until the page sets globalThis.__done = { ok, result | error }, closes it. */
export async function runPage<T>(context: BrowserContext, url: string, timeout = 60_000): Promise<PageOutcome<T>> {
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('pageerror', (error) => messages.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') messages.push(`console.${message.type()}: ${message.text()}`);
  });
  try {
    await page.goto(url, { timeout });
    const handle = await page.waitForFunction(() => (globalThis as { __done?: unknown }).__done, null, { timeout, polling: 50 });
    const done = (await handle.jsonValue()) as { ok: boolean; result?: T; error?: string };
    return { ...done, messages };
  } catch (error) {
    throw new Error(`${url}: ${String(error)}\n${messages.join('\n')}`);
  } finally {
    await page.close();
  }
}
