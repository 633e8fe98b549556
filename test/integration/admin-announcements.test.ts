// The composer's preview (POST /admin/announcements/preview) and staff's list (GET /admin/announcements).
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalAnnouncementTimer } from '#adapters/local/local-announcement-timer';
import { createAnnouncement } from '#app/announcements';
import type { AnnouncementRequest } from '#domain/announcement';
import type { StaffPrincipal } from '#domain/staff';
import { route as createRoute } from '#handlers/http/create-announcement';
import { type HttpRoute, runRoute } from '#handlers/http/http-handler';
import { route as listRoute } from '#handlers/http/list-announcements';
import { route as previewRoute } from '#handlers/http/preview-announcement';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { type EventInput, httpEvent, problemType } from '../support/http.ts';
import { seedRecipients } from '../support/notices.ts';

let world: TestWorld;
const admin: StaffPrincipal = { subject: 'admin-1', roles: ['admin'], districts: [], allDistricts: true };

/** Calls a route as a staff member in these user-pool groups (null: no token), as API Gateway passes them. */
async function asStaff(route: HttpRoute, groups: string | null, input: EventInput) {
  const base = httpEvent(input);
  const claims = { sub: `sub-${groups}`, token_use: 'access', 'cognito:groups': groups };
  const event =
    groups === null
      ? base
      : {
          ...base,
          requestContext: { ...base.requestContext, authorizer: { jwt: { claims, scopes: null } } },
        };
  const result = (await runRoute(route, event, async () => world.deps)) as Exclude<
    APIGatewayProxyResultV2,
    string
  >;
  return { status: result.statusCode, json: JSON.parse(result.body ?? '{}') };
}

const preview = (body: unknown, groups: string | null = '[staff district:tmn-central]') =>
  asStaff(previewRoute, groups, { method: 'POST', path: '/admin/announcements/preview', body });

const list = (query: Record<string, string> = {}, groups = '[admin]') =>
  asStaff(listRoute, groups, { method: 'GET', path: '/admin/announcements', query });

interface Item {
  language: string;
  message: string;
  channel: string;
  parts: number;
  size: number;
  sizeUnit: string;
  encoding: string;
  limit: number;
  fits: boolean;
  problems: Array<{ field: string; message: string; code?: string; size?: number; limit?: number }>;
}
const byLanguage = (json: { items?: Item[] }) => new Map((json.items ?? []).map((i) => [i.language, i]));

function withQueues() {
  const queues = localNoticeQueues(async () => world.deps, world.deps.config, world.clock, world.metrics);
  world.deps.noticeQueues = queues;
  world.deps.announcementTimer = new LocalAnnouncementTimer((body) => queues.sendToPlanner(body));
  return queues;
}

describe('POST /admin/announcements/preview (Tyumen: GSM/UCS-2 parts)', () => {
  beforeEach(async () => {
    // 11:00 on a weekday in Tyumen, outside the quiet hours.
    world = await testWorld('tyumen-power', new Date('2026-12-10T06:00:00Z'));
  });

  it('shows each language’s message exactly as subscribers then receive it, with its parts and encoding', async () => {
    // A clerk previews an outage notice, then sends it to the district's Russian-speaking subscribers.
    const request: AnnouncementRequest = {
      districts: ['tmn-central'],
      kind: 'outage',
      texts: {
        ru: '15 декабря с 10:00 до 14:00 отключение электроэнергии на ул. Республики.',
        en: 'Power outage on Respubliki St on 15 December, 10:00 to 14:00.',
      },
    };
    const answer = await preview({ kind: request.kind, texts: request.texts });
    expect(answer.status).toBe(200);
    const items = byLanguage(answer.json);
    expect([...items.keys()]).toEqual(['ru', 'en']);
    expect(items.get('ru')).toMatchObject({
      channel: 'SMS',
      encoding: 'UCS-2',
      sizeUnit: 'characters',
      parts: 3,
      limit: 630,
      fits: true,
      problems: [],
    });
    expect(items.get('ru')?.message).toContain('отключение электроэнергии');
    // UCS-2 splits into parts of 67 characters.
    expect(Math.ceil((items.get('ru')?.size ?? 0) / 67)).toBe(3);
    expect(items.get('en')).toMatchObject({ encoding: 'GSM-7', limit: 1530, fits: true, parts: 1 });
    expect(items.get('en')?.size).toBe(items.get('en')?.message.length);

    const queues = withQueues();
    await seedRecipients(world.deps, { count: 2, period: '2026-12' });
    await createAnnouncement(world.deps, admin, request);
    await queues.idle();
    const received = world.sms.list().filter((m) => m.purpose === 'notice');
    expect(received.map((m) => m.body)).toEqual([items.get('ru')?.message, items.get('ru')?.message]);
  });

  it('judges by the POST’s rules: a missing language, one the utility does not write in, a text too long', async () => {
    // The clerk forgot the English text, added a German one, and pasted a long Russian text.
    const texts = { ru: 'Отключение. '.repeat(60), de: 'Stromausfall' };
    const answer = await preview({ kind: 'general', texts });
    const items = byLanguage(answer.json);
    const ru = items.get('ru');
    expect(ru).toMatchObject({ fits: false, encoding: 'UCS-2', sizeUnit: 'characters', limit: 630 });
    expect(ru?.size).toBeGreaterThan(630);
    // Each problem has a code and the figures of its own sentence, the item's own size and limit among them.
    expect(ru?.problems).toEqual([
      {
        field: 'body.texts.ru',
        message: expect.stringContaining('SMS parts'),
        code: 'too-long',
        size: ru?.size,
        limit: 630,
        unit: 'characters',
        parts: ru?.parts,
      },
    ]);
    expect(items.get('en')).toMatchObject({
      message: '',
      parts: 0,
      fits: false,
      problems: [
        {
          field: 'body.texts.en',
          message: expect.stringContaining('required'),
          code: 'text-required',
          language: 'en',
        },
      ],
    });
    expect(items.get('de')).toMatchObject({
      fits: false,
      problems: [
        {
          field: 'body.texts.de',
          message: 'the utility does not write in "de" (it writes in ru, en)',
          code: 'language-not-written',
          language: 'de',
          languages: ['ru', 'en'],
        },
      ],
    });

    // POST /admin/announcements refuses the same texts for the same reasons.
    const refused = await createAnnouncement(world.deps, admin, {
      districts: ['tmn-central'],
      kind: 'general',
      texts,
    }).catch((error: { extensions: { errors: unknown } }) => error.extensions.errors);
    const byField = (a: { field: string }, b: { field: string }) => a.field.localeCompare(b.field);
    expect((refused as Array<{ field: string }>).sort(byField)).toEqual(
      [...items.values()].flatMap((i) => i.problems).sort(byField),
    );
  });

  it('refuses a body that is not an announcement’s (400) and a call without a staff token (401)', async () => {
    // A stale composer sends an unknown kind; a script calls it without signing in.
    const bad = await preview({ kind: 'party', texts: { ru: 'x' } });
    expect([bad.status, bad.json.type]).toEqual([400, problemType('validation-error')]);
    const anonymous = await preview({ kind: 'general', texts: { ru: 'x' } }, null);
    expect(anonymous.status).toBe(401);
  });
});

describe('POST /admin/announcements/preview (Seoul: EUC-KR bytes)', () => {
  it('counts EUC-KR bytes, says SMS or LMS, and flags characters a Korean phone cannot show', async () => {
    // A Seoul clerk writes a short Korean notice, and an English one with an emoji.
    world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const answer = await preview(
      { kind: 'general', texts: { ko: '점검', en: 'Water check today 💧' } },
      '[staff district:11110]',
    );
    const items = byLanguage(answer.json);
    const ko = items.get('ko');
    expect(ko).toMatchObject({ encoding: 'EUC-KR', sizeUnit: 'bytes', limit: 2000, parts: 1, fits: true });
    expect(ko?.channel).toBe((ko?.size ?? 0) <= 90 ? 'SMS' : 'LMS');
    expect(items.get('en')).toMatchObject({
      fits: false,
      problems: [
        {
          field: 'body.texts.en',
          message: expect.stringContaining('💧'),
          code: 'unencodable-characters',
          characters: ['💧'],
        },
      ],
    });
  });
});

describe('POST /admin/announcements refused for its texts (Seoul)', () => {
  it('gives each text problem of the 422 its code and figures beside the English message', async () => {
    // A Seoul clerk sends a Korean notice with an emoji and a French text the utility does not write in.
    world = await testWorld('seoul-water', new Date('2026-12-01T01:00:00Z'));
    const answer = await asStaff(createRoute, '[staff district:11110]', {
      method: 'POST',
      path: '/admin/announcements',
      body: {
        districts: ['11110'],
        kind: 'general',
        texts: { ko: '오늘 점검합니다 😀', en: 'Water check today.', fr: 'Contrôle aujourd’hui.' },
      },
    });
    expect([answer.status, answer.json.type]).toEqual([422, problemType('announcement-text-invalid')]);
    expect(answer.json.errors).toEqual([
      {
        field: 'body.texts.fr',
        message: 'the utility does not write in "fr" (it writes in ko, en)',
        code: 'language-not-written',
        language: 'fr',
        languages: ['ko', 'en'],
      },
      {
        field: 'body.texts.ko',
        message: 'Korean phones cannot show "😀" (not in EUC-KR)',
        code: 'unencodable-characters',
        characters: ['😀'],
      },
    ]);
  });
});

describe('GET /admin/announcements', () => {
  beforeEach(async () => {
    world = await testWorld('tyumen-power', new Date('2026-12-10T06:00:00Z'));
    withQueues();
  });

  const texts = { ru: 'Текст', en: 'Text' };

  it('pages through every announcement, latest send time first (scheduled first), with status and progress', async () => {
    // Two sent an hour apart, and one scheduled for tomorrow.
    const first = await createAnnouncement(world.deps, admin, {
      districts: ['tmn-central'],
      kind: 'outage',
      texts,
    });
    world.clock.advance(3600_000);
    const second = await createAnnouncement(world.deps, admin, {
      districts: ['kogalym'],
      kind: 'freeze',
      texts,
    });
    const tomorrow = await createAnnouncement(world.deps, admin, {
      districts: ['tmn-central'],
      kind: 'general',
      texts,
      sendAt: '2026-12-11T06:00:00Z',
    });

    const page1 = await list({ limit: '2' });
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((a: { id: string }) => a.id)).toEqual([
      tomorrow.announcement.id,
      second.announcement.id,
    ]);
    expect(page1.json.items[0]).toMatchObject({ status: 'scheduled', progress: null, createdBy: 'admin-1' });
    expect(page1.json.items[1]).toMatchObject({ kind: 'freeze', districts: ['kogalym'] });
    expect(page1.json.items[1].progress).not.toBeNull();
    expect(page1.json.items[1]).not.toHaveProperty('requestDigest');
    const page2 = await list({ limit: '2', cursor: page1.json.nextCursor });
    expect(page2.json.items.map((a: { id: string }) => a.id)).toEqual([first.announcement.id]);
    expect(page2.json).not.toHaveProperty('nextCursor');
  });

  it('shows a district clerk only their districts’ announcements, and refuses a forged cursor', async () => {
    // A Kogalym clerk opens the list; someone edits the cursor in the address bar.
    await createAnnouncement(world.deps, admin, { districts: ['tmn-central'], kind: 'outage', texts });
    const kogalym = await createAnnouncement(world.deps, admin, {
      districts: ['kogalym'],
      kind: 'outage',
      texts,
    });
    const clerk = await list({}, '[staff district:kogalym]');
    expect(clerk.json.items.map((a: { id: string }) => a.id)).toEqual([kogalym.announcement.id]);
    const forged = await list({ cursor: 'bm90LWEtY3Vyc29y' });
    expect([forged.status, forged.json.type]).toEqual([400, problemType('invalid-cursor')]);
  });
});
