// Browser tests: the local runtime (what `npm start` runs, portal included) driven by Debian's Chromium through
// playwright-core, and axe-core run inside each page. No browser is downloaded: CHROMIUM_PATH or /usr/bin/chromium.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { startingClock } from '#adapters/clock';
import { loadUtilityConfig } from '#config/load';
import { parseInstant } from '#domain/calendar';
import { type Runtime, startRuntime } from '../../bin/local/runtime.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The flags Debian's Chromium needs on these machines (../shared/FACTS.md), headless and offline. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export const DESKTOP = { width: 1280, height: 900 } as const;
/** The narrowest phone the portal is made for. */
export const PHONE = { width: 360, height: 740 } as const;

export interface PortalSession {
  runtime: Runtime;
  browser: Browser;
  /** http://127.0.0.1:<port> */
  url: string;
  /** A fresh browser context (no storage shared with other pages) and a page in it, in this language. */
  newPage(options?: {
    viewport?: { width: number; height: number };
    locale?: string;
    /** The browser's own time zone (an IANA name); Chromium's default otherwise. */
    timezoneId?: string;
  }): Promise<Page>;
  /** The local SMS (and messenger) outbox, newest first, after queued messages are sent. */
  outbox(to?: string): Promise<Array<{ to: string; body: string; purpose?: string }>>;
  /** A staff access token from the local issuer. */
  staffToken(role?: 'admin' | 'staff', districts?: string[]): Promise<string>;
  stop(): Promise<void>;
}

export async function startPortal(options: {
  utility: 'seoul-water' | 'tyumen-power';
  /** The utility's local time, e.g. 2026-12-01T10:00. */
  now: string;
  demoAccounts?: number;
  /** A running DynamoDB Local; by default the one the test run's global setup started. */
  dynamoEndpoint?: string;
}): Promise<PortalSession> {
  const config = loadUtilityConfig(options.utility);
  const start = parseInstant(options.now, config.timeZone);
  if (!start) throw new Error(`bad time ${options.now}`);
  const runtime = await startRuntime({
    config,
    clock: startingClock(start),
    port: 0,
    dynamo: {
      endpoint: options.dynamoEndpoint ?? inject('dynamoEndpoint'),
      tableName: `browser-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    },
    demoAccounts: options.demoAccounts ?? 30,
  });
  const profile = mkdtempSync(join(tmpdir(), 'utilitydesk-chromium-'));
  let browser: Browser;
  let context: BrowserContext | undefined;
  try {
    // A persistent context is how playwright takes a user-data-dir of our choosing: a fresh one per run.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: DESKTOP,
    });
    browser = context.browser() as Browser;
  } catch (error) {
    await runtime.stop();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const contexts: BrowserContext[] = [];
  return {
    runtime,
    browser,
    url: runtime.url,
    async newPage(pageOptions = {}) {
      // Each page in its own incognito-like context: separate storage, its own viewport and language.
      const own = await (context as BrowserContext).browser()?.newContext({
        viewport: pageOptions.viewport ?? DESKTOP,
        locale: pageOptions.locale ?? 'en-US',
        ...(pageOptions.timezoneId ? { timezoneId: pageOptions.timezoneId } : {}),
      });
      if (!own) throw new Error('no browser');
      contexts.push(own);
      const page = await own.newPage();
      page.on('pageerror', (error) => {
        throw new Error(`Uncaught in the page: ${error.message}`);
      });
      return page;
    },
    async outbox(to) {
      const response = await fetch(`${runtime.url}/_local/outbox`);
      const body = (await response.json()) as {
        items: Array<{ to: string; body: string; purpose?: string }>;
      };
      return to ? body.items.filter((item) => item.to === to) : body.items;
    },
    async staffToken(role = 'admin', districts) {
      const response = await fetch(`${runtime.url}/_local/staff-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, districts }),
      });
      return ((await response.json()) as { token: string }).token;
    },
    async stop() {
      for (const own of contexts) await own.close().catch(() => undefined);
      await context?.close().catch(() => undefined);
      await runtime.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core in the page against WCAG 2.0/2.1/2.2 A and AA and returns the serious and critical violations
 * (each with the selectors of the nodes it found), for `expect(...).toEqual([])`.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's strict CSP (script-src 'self') does not block it.
  const hasAxe = await page.evaluate('typeof window.axe === "object"');
  if (!hasAxe) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(`window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')),
    })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
