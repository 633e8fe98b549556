// `npm run screenshots`: regenerates docs/screenshots/ — every page of the citizen portal and the staff console, at
// desktop width and at 360 px — from the real local runtime (demo data) in Debian's Chromium, with the same steps
// the browser tests take. Korean pages need a CJK font on the machine (Debian: fonts-noto-cjk).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Command, Option } from 'commander';
import type { Page } from 'playwright-core';
import { buildPortal } from '../../bin/local/build-portal.ts';
import { startDynamoLocal } from '../../bin/local/dynamo-local.ts';
import { DESKTOP, PHONE, type PortalSession, startPortal } from '../support/browser.ts';
import { accountToken } from './citizen-steps.ts';
import { consolePage, fileComplaint, goTo, openComplaint, signInLocally } from './console-steps.ts';

// Node 20 is the local runtime by design (Lambda runs nodejs24.x): the SDK's notice about it is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const program = new Command('npm run screenshots --')
  .description('Regenerate the screenshots of the portal and the staff console in docs/screenshots/.')
  .addOption(
    new Option('--utility <id>', 'which utility')
      .choices(['seoul-water', 'tyumen-power'])
      .default('seoul-water'),
  )
  .option('--language <code>', "the pages' language (one of the utility's)", 'en')
  .option('--out <dir>', 'where the PNG files go', 'docs/screenshots')
  .parse();
const options = program.opts<{ utility: 'seoul-water' | 'tyumen-power'; language: string; out: string }>();

/** A page's set-up before its picture: where to go and what to fill in, on a fresh page of the right width. */
interface Shot {
  name: string;
  take(page: Page): Promise<void>;
}

async function main() {
  console.log('Building the portal and starting DynamoDB Local…');
  await buildPortal();
  const dynamo = await startDynamoLocal();
  // The 16th, 10:00 local: both utilities' reading windows are open, so the reading page shows its form.
  const now = '2026-12-16T10:00';
  let session: PortalSession | undefined;
  try {
    session = await startPortal({
      utility: options.utility,
      now,
      demoAccounts: 12,
      dynamoEndpoint: dynamo.endpoint,
    });
    const shots = await plan(session);
    mkdirSync(options.out, { recursive: true });
    const bar = new SingleBar({ format: 'Screenshots [{bar}] {value}/{total} {name}', hideCursor: true });
    bar.start(shots.length * 2, 0, { name: '' });
    for (const shot of shots) {
      for (const [width, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await consolePage(session, { viewport, locale: options.language });
        await page.goto(`${session.url}/`);
        await page.evaluate(
          `localStorage.setItem('utilitydesk.language', ${JSON.stringify(options.language)})`,
        );
        await shot.take(page);
        await page.locator('main h1').first().waitFor();
        await page.locator('main .loading').waitFor({ state: 'detached' });
        await page.screenshot({ path: join(options.out, `${shot.name}-${width}.png`), fullPage: true });
        await page.context().close();
        bar.increment(1, { name: shot.name });
      }
    }
    bar.stop();
    console.log(`${shots.length * 2} screenshots in ${options.out}/`);
  } finally {
    await session?.stop();
    await dynamo.stop();
  }
}

/** The pages to take, with the demo records they show: a bill, a filed complaint with its code, a staff session. */
async function plan(session: PortalSession): Promise<Shot[]> {
  const { url } = session;
  const config = session.runtime.deps.config;
  const account = session.runtime.demo().accounts[0];
  if (!account) throw new Error('no demo account');
  const signedIn = await accountToken(session, account);
  const bills = (await (
    await fetch(`${url}/accounts/${account.accountNumber}/bills?limit=1`, {
      headers: { authorization: `Bearer ${signedIn.token}` },
    })
  ).json()) as { items: Array<{ period: string }> };
  const period = bills.items[0]?.period;
  const type = config.complaints.types.find((t) => t.public) ?? config.complaints.types[0];
  if (!period || !type) throw new Error('the demo data has no bill or no complaint type');
  const complaint = await fileComplaint(url, {
    type: type.code,
    description: options.language === 'en' ? 'Water running across the pavement by the bus stop' : '—',
    districtCode: config.districts[0]?.code,
    address: config.districts[0]?.addressNames?.[0] ?? config.districts[0]?.code,
    attributes: Object.fromEntries(
      (type.attributes ?? [])
        .filter((a) => a.required)
        .map((a) => [a.code, a.values?.find((v) => !v.private)?.key ?? '1']),
    ),
  });
  const citizen =
    (path: string, signed = false) =>
    async (page: Page) => {
      if (signed) {
        // The page's clock is the runtime's (consolePage): the session's expiry is counted on it.
        const expiresAt = session.runtime.clock.now().getTime() + 600_000;
        const stored = JSON.stringify({ ...signedIn, expiresAt });
        await page.evaluate(`sessionStorage.setItem('utilitydesk.account', ${JSON.stringify(stored)})`);
      }
      await page.goto(`${url}/#${path}`);
      await page.reload();
    };
  const staff = (then: (page: Page) => Promise<void>) => async (page: Page) => {
    await signInLocally(page, url, 'admin');
    await then(page);
  };
  return [
    { name: 'portal-home', take: citizen('/') },
    { name: 'portal-sign-up', take: citizen('/sign-up') },
    {
      name: 'portal-report',
      take: async (page) => {
        await citizen('/report')(page);
        await page.locator('main select').first().selectOption(type.code);
      },
    },
    { name: 'portal-track', take: citizen(`/track/${complaint.trackingCode}`) },
    { name: 'portal-bills', take: citizen('/bills', true) },
    { name: 'portal-bill', take: citizen(`/bills/${period}`, true) },
    { name: 'portal-receipt', take: citizen(`/bills/${period}/receipt`, true) },
    { name: 'portal-reading', take: citizen('/reading', true) },
    { name: 'console-sign-in', take: async (page) => void (await page.goto(`${url}/admin/`)) },
    { name: 'console-queue', take: staff(async () => undefined) },
    { name: 'console-complaint', take: staff((page) => openComplaint(page, complaint.trackingCode)) },
    {
      name: 'console-announcement',
      take: staff(async (page) => {
        await goTo(page, '/announcements/new');
        const form = page.locator('main form');
        await form.locator('input[name=district]').first().check();
        for (const language of config.languages) {
          await form.locator(`textarea[lang=${language}]`).fill(sampleOutage(language));
        }
        await page
          .locator('.preview .card')
          .nth(config.languages.length - 1)
          .waitFor();
      }),
    },
    { name: 'console-reports', take: staff((page) => goTo(page, '/reports')) },
    { name: 'console-payments', take: staff((page) => goTo(page, '/payments')) },
  ];
}

function sampleOutage(language: string): string {
  if (language === 'ko') return '12월 18일 10시부터 14시까지 배수관 공사로 단수됩니다.';
  if (language === 'ru') return '18 декабря с 10 до 14 часов отключение электроэнергии из-за ремонта сети.';
  return 'Water off on 18 December from 10:00 to 14:00 for main repairs.';
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
