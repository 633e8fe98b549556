// GET /announcements: what the portal shows a district's residents of the announcements staff sent them.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Announcement } from '#domain/announcement';
import { route } from '#handlers/http/list-public-announcements';
import { type TestWorld, testWorld } from '#test/support/deps';
import { call, problemType } from '#test/support/http';

let world: TestWorld;
const NOW = new Date('2026-12-10T06:00:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();

let made = 0;
/** An announcement as POST /admin/announcements stores it, sent (or to be sent) at `sendAt`. */
function anAnnouncement(over: Partial<Announcement> & Pick<Announcement, 'sendAt'>): Announcement {
  made++;
  return {
    id: `announcement${String(made).padStart(10, '0')}`,
    kind: 'outage',
    districts: ['tmn-central'],
    texts: { ru: `Отключение №${made}`, en: `Outage no. ${made}` },
    createdAt: over.sendAt,
    createdBy: 'admin-1',
    requestDigest: 'digest',
    ...over,
  };
}

const list = (query: Record<string, string> = {}, headers: Record<string, string> = {}) =>
  call(route, world.deps, { method: 'GET', path: '/announcements', query, headers });

const ids = (answer: { json: Record<string, unknown> }) =>
  (answer.json.items as Array<{ id: string }>).map((i) => i.id);

beforeEach(async () => {
  world = await testWorld('tyumen-power', NOW);
});

describe('GET /announcements', () => {
  it('lists a district’s announcements of the last two weeks, latest first, and not those still to come', async () => {
    // Central had an outage three days ago (with Kalininsky) and a freeze warning a day ago; Leninsky had its own;
    // an old one from three weeks ago and one scheduled for the day after tomorrow are not news.
    const shared = anAnnouncement({ sendAt: daysAgo(3), districts: ['tmn-central', 'tmn-kalininsky'] });
    const freeze = anAnnouncement({ sendAt: daysAgo(1), kind: 'freeze' });
    const leninsky = anAnnouncement({ sendAt: daysAgo(2), districts: ['tmn-leninsky'] });
    const old = anAnnouncement({ sendAt: daysAgo(21) });
    const scheduled = anAnnouncement({ sendAt: daysAgo(-2) });
    for (const a of [shared, freeze, leninsky, old, scheduled]) await world.deps.announcements.create(a);

    const central = await list({ district: 'tmn-central' });
    expect(central.status).toBe(200);
    expect(ids(central)).toEqual([freeze.id, shared.id]);
    expect(ids(await list({ district: 'tmn-kalininsky' }))).toEqual([shared.id]);
    // Without a district: every district's, each once.
    expect(ids(await list())).toEqual([freeze.id, leninsky.id, shared.id]);
  });

  it('answers in the language asked for, titled by kind as the SMS is, with the primary language’s text as fallback', async () => {
    // A resident reading the portal in English; one announcement was written in Russian only.
    const both = anAnnouncement({ sendAt: daysAgo(1) });
    const russianOnly = anAnnouncement({
      sendAt: daysAgo(2),
      kind: 'general',
      texts: { ru: 'Только по-русски' },
    });
    await world.deps.announcements.create(both);
    await world.deps.announcements.create(russianOnly);

    const english = await list({ district: 'tmn-central' }, { 'accept-language': 'en-US,en;q=0.8' });
    expect(english.headers['content-language']).toBe('en');
    expect(english.json).toEqual({
      language: 'en',
      items: [
        {
          id: both.id,
          kind: 'outage',
          title: 'power outage',
          text: both.texts.en,
          districts: ['tmn-central'],
          sendAt: both.sendAt,
        },
        {
          id: russianOnly.id,
          kind: 'general',
          title: 'notice',
          text: 'Только по-русски',
          districts: ['tmn-central'],
          sendAt: russianOnly.sendAt,
        },
      ],
    });
    const russian = await list({ district: 'tmn-central' });
    expect(russian.json.language).toBe('ru');
    expect((russian.json.items as Array<{ title: string }>)[0]?.title).toBe('отключение электроэнергии');
    // Who wrote it stays with staff.
    expect(russian.raw.toString()).not.toContain('admin-1');
  });

  it('is cacheable for a minute, per language', async () => {
    // After an outage SMS, many residents open the page at once: a cache in front answers most of them.
    const answer = await list({ district: 'tmn-central' });
    expect(answer.headers['cache-control']).toBe(
      'public, max-age=60, stale-while-revalidate=60, stale-if-error=600',
    );
    expect(answer.headers.vary).toBe('accept-language');
  });

  it('shows at most the 20 latest', async () => {
    // A bad week: 25 announcements to the same district.
    const many = Array.from({ length: 25 }, (_, i) => anAnnouncement({ sendAt: daysAgo(i / 4) }));
    for (const a of many) await world.deps.announcements.create(a);
    expect(ids(await list({ district: 'tmn-central' }))).toEqual(many.slice(0, 20).map((a) => a.id));
  });

  it('lists a retried announcement once', async () => {
    // Staff submitted the form twice with the same Idempotency-Key: the store keeps the first.
    const outage = anAnnouncement({ sendAt: daysAgo(1) });
    expect((await world.deps.announcements.create(outage)).created).toBe(true);
    expect((await world.deps.announcements.create({ ...outage, texts: { ru: 'другой' } })).created).toBe(
      false,
    );
    const answer = await list({ district: 'tmn-central' });
    expect(answer.json.items).toMatchObject([{ id: outage.id, text: outage.texts.ru }]);
  });

  it('refuses a district the utility does not have, and a malformed language, with 400', async () => {
    // A link with a mistyped district code.
    const unknown = await list({ district: 'tmn-nowhere' });
    expect([unknown.status, unknown.json.type]).toEqual([400, problemType('validation-error')]);
    expect(unknown.json.errors).toEqual([
      { field: 'query.district', message: expect.stringContaining('tmn-central') },
    ]);
    const badLanguage = await list({ lang: 'russian' });
    expect(badLanguage.status).toBe(400);
  });
});
