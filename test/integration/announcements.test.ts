// Announcements through the real path: use case -> planner queue -> planner (district index) -> sender -> DynamoDB Local.
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalAnnouncementTimer } from '#adapters/local/local-announcement-timer';
import { createAnnouncement, getAnnouncement } from '#app/announcements';
import { resumeHeldRuns } from '#app/notice-runs';
import type { AnnouncementRequest } from '#domain/announcement';
import { AppError } from '#domain/errors';
import type { StaffPrincipal } from '#domain/staff';
import { localNoticeQueues } from '../../bin/local/local-deps.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';
import { seedRecipients } from '../support/notices.ts';

const PERIOD = '2026-12';
const DISTRICTS = ['tmn-central', 'tmn-kalininsky', 'tmn-leninsky'];
const admin: StaffPrincipal = { subject: 'admin-1', roles: ['admin'], districts: [], allDistricts: true };
const leninskyClerk: StaffPrincipal = {
  subject: 'clerk-1',
  roles: ['staff'],
  districts: ['tmn-leninsky'],
  allDistricts: false,
};
const outage: AnnouncementRequest = {
  districts: ['tmn-central', 'tmn-kalininsky'],
  kind: 'outage',
  texts: {
    ru: '15 декабря с 10:00 до 14:00 отключение электроэнергии на ул. Республики.',
    en: 'Power outage on Respubliki St on 15 December, 10:00 to 14:00.',
  },
};

let world: TestWorld;
let queues: ReturnType<typeof localNoticeQueues>;
let timer: LocalAnnouncementTimer;

/** The announcements in the outbox, by phone: a phone listed twice got it twice. */
const announcementsByPhone = () => {
  const counts = new Map<string, number>();
  for (const m of world.sms.list().filter((m) => m.purpose === 'notice' && m.body.includes('Республики')))
    counts.set(m.to, (counts.get(m.to) ?? 0) + 1);
  return counts;
};

async function problemOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeEach(async () => {
  // 11:00 on a weekday in Tyumen (UTC+5), outside the quiet hours.
  world = await testWorld('tyumen-power', new Date('2026-12-10T06:00:00Z'));
  world.deps.config = {
    ...world.deps.config,
    subscriptions: { ...world.deps.config.subscriptions, fanOutShards: 3 },
    notices: { ...world.deps.config.notices, planPageSize: 4 },
  };
  queues = localNoticeQueues(async () => world.deps, world.deps.config, world.clock, world.metrics);
  timer = new LocalAnnouncementTimer((body) => queues.sendToPlanner(body));
  world.deps.noticeQueues = queues;
  world.deps.announcementTimer = timer;
});

describe('an announcement', () => {
  it('reaches every subscriber of its districts once, and nobody elsewhere, over many index pages', async () => {
    // 36 subscribers, 12 in each of three districts; the outage is in two of them.
    const recipients = await seedRecipients(world.deps, {
      count: 36,
      period: PERIOD,
      district: (i) => DISTRICTS[i % 3] ?? '',
    });

    const { announcement, created } = await createAnnouncement(world.deps, admin, outage);
    await queues.idle();

    expect(created).toBe(true);
    const expected = recipients.filter((r) => outage.districts.includes(r.account.district));
    const sent = announcementsByPhone();
    expect(sent.size).toBe(24);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sent.keys())).toEqual(new Set(expected.map((r) => r.subscription.phone)));
    const view = await getAnnouncement(world.deps, admin, announcement.id);
    expect(view).toMatchObject({
      id: announcement.id,
      kind: 'outage',
      status: 'planned',
      createdBy: 'admin-1',
      progress: { pending: 0, counts: { planned: 24, sent: 24, skipped: {} } },
    });
    expect(view).not.toHaveProperty('requestDigest');
  });

  it('is one announcement, sent once, when the same request comes again with its Idempotency-Key', async () => {
    // Staff double-click "send": the second request answers the first announcement and sends nothing more.
    await seedRecipients(world.deps, { count: 6, period: PERIOD, district: () => 'tmn-central' });

    const first = await createAnnouncement(world.deps, admin, outage, 'form-7d1c2e9a');
    await queues.idle();
    const again = await createAnnouncement(world.deps, admin, outage, 'form-7d1c2e9a');
    await queues.idle();

    expect(again).toMatchObject({ created: false, announcement: { id: first.announcement.id } });
    expect([...announcementsByPhone().values()]).toEqual([1, 1, 1, 1, 1, 1]);
    const reused = await problemOf(
      createAnnouncement(world.deps, admin, { ...outage, kind: 'general' }, 'form-7d1c2e9a'),
    );
    expect(reused).toMatchObject({ kind: 'conflict', type: 'idempotency-key-reused' });
  });

  it('is one announcement, sent once, when the same form is submitted twice at the same moment', async () => {
    // Two tabs (or a double tap on a slow phone) send the same form at once: one announcement, each subscriber
    // texted once. (DynamoDB itself may cancel one transaction as a conflict; DynamoDB Local serializes them:
    // test/unit/announcement-store-conflict.test.ts covers that answer.)
    await seedRecipients(world.deps, { count: 3, period: PERIOD, district: () => 'tmn-central' });

    const answers = await Promise.all(
      [1, 2, 3].map(() => createAnnouncement(world.deps, admin, outage, 'form-2f8a61c4')),
    );
    await queues.idle();

    expect(new Set(answers.map((a) => a.announcement.id)).size).toBe(1);
    expect(answers.filter((a) => a.created).length).toBeLessThanOrEqual(1);
    expect([...announcementsByPhone().values()]).toEqual([1, 1, 1]);
  });

  it('waits for its send time, then goes out when its timer fires', async () => {
    await seedRecipients(world.deps, { count: 4, period: PERIOD, district: () => 'tmn-kalininsky' });
    const sendAt = '2026-12-14T09:00:00+05:00';

    const { announcement } = await createAnnouncement(world.deps, admin, { ...outage, sendAt });
    await queues.idle();

    expect(announcement).toMatchObject({
      status: 'scheduled',
      progress: null,
      sendAt: '2026-12-14T04:00:00.000Z',
    });
    expect(announcementsByPhone().size).toBe(0);
    const due = timer.dueBetween(world.clock.now(), new Date('2026-12-14T04:00:00Z'));
    expect(due.map((d) => d.name)).toEqual([`announcement-${announcement.id}`]);

    world.clock.set(new Date('2026-12-14T04:00:00Z'));
    for (const firing of due) await firing.fire();
    await queues.idle();

    expect(announcementsByPhone().size).toBe(4);
    expect(await getAnnouncement(world.deps, admin, announcement.id)).toMatchObject({ status: 'planned' });
    // Fired once: a one-time schedule deletes itself.
    expect(timer.dueBetween(new Date(0), new Date('2027-01-01T00:00:00Z'))).toEqual([]);
  });

  it('created in the quiet hours, waits for their end', async () => {
    await seedRecipients(world.deps, { count: 3, period: PERIOD, district: () => 'tmn-central' });
    // 22:30 in Tyumen.
    world.clock.set(new Date('2026-12-10T17:30:00Z'));

    const { announcement } = await createAnnouncement(world.deps, admin, outage);
    await queues.idle();

    expect(announcement.status).toBe('waiting');
    expect(announcementsByPhone().size).toBe(0);
    world.clock.set(new Date('2026-12-11T03:00:00Z'));
    await resumeHeldRuns(world.deps);
    await queues.idle();
    expect(announcementsByPhone().size).toBe(3);
  });

  it('skips a subscriber whose account moved out of its districts, and one who opted out, at send time', async () => {
    const [moved, stopped, stays] = await seedRecipients(world.deps, {
      count: 3,
      period: PERIOD,
      district: () => 'tmn-central',
    });
    if (!moved || !stopped || !stays) throw new Error('seeded three');
    await world.deps.accounts.putMany([{ ...moved.account, district: 'kogalym' }]);
    await world.deps.optOuts.record({
      phone: stopped.subscription.phone,
      optedOut: true,
      at: '2026-12-10T05:00:00.000Z',
      channel: 'sms',
      keyword: 'СТОП',
      messageId: 'stop-1',
    });

    const { announcement } = await createAnnouncement(world.deps, admin, outage);
    await queues.idle();

    expect([...announcementsByPhone().keys()]).toEqual([stays.subscription.phone]);
    expect(await getAnnouncement(world.deps, admin, announcement.id)).toMatchObject({
      progress: { counts: { sent: 1, skipped: { 'not-in-district': 1, 'opted-out': 1 } } },
    });
  });
});

describe("the utility's daily allowance of announcements", () => {
  it('refuses one more (429, until local midnight) once used up; a retried request is not counted', async () => {
    // A stolen staff token, or a script in a loop, would text every subscriber of the districts again and again.
    world.deps.config = {
      ...world.deps.config,
      limits: { ...world.deps.config.limits, announcementsPerDay: 2 },
    };
    await createAnnouncement(world.deps, admin, outage, 'first-of-the-day');
    await createAnnouncement(world.deps, admin, outage, 'first-of-the-day');
    await createAnnouncement(world.deps, admin, { ...outage, kind: 'general' });

    const third = await problemOf(createAnnouncement(world.deps, admin, { ...outage, kind: 'freeze' }));

    // 11:00 in Tyumen: 13 hours to midnight.
    expect(third).toMatchObject({
      kind: 'rate-limited',
      type: 'announcement-daily-limit',
      retryAfterSeconds: 13 * 3600,
    });
    world.clock.set(new Date('2026-12-10T19:00:01Z'));
    await expect(createAnnouncement(world.deps, admin, { ...outage, kind: 'freeze' })).resolves.toMatchObject(
      {
        created: true,
      },
    );
  });
});

describe('an announcement that cannot go as asked is refused, and nothing is stored or sent', () => {
  beforeEach(async () => {
    await seedRecipients(world.deps, { count: 3, period: PERIOD, district: () => 'tmn-central' });
  });

  const refused = async (staff: StaffPrincipal, request: AnnouncementRequest) => {
    const error = await problemOf(createAnnouncement(world.deps, staff, request));
    await queues.idle();
    expect(announcementsByPhone().size).toBe(0);
    return error;
  };

  it('without a text in a language the utility writes in', async () => {
    const error = await refused(admin, { ...outage, texts: { ru: outage.texts.ru ?? '' } });
    expect(error).toMatchObject({
      kind: 'unprocessable',
      type: 'announcement-text-invalid',
      extensions: { errors: [expect.objectContaining({ field: 'body.texts.en' })] },
    });
  });

  it('with a text in a language it does not write in', async () => {
    const error = await refused(admin, { ...outage, texts: { ...outage.texts, ko: '정전 안내' } });
    expect(error.extensions).toMatchObject({ errors: [expect.objectContaining({ field: 'body.texts.ko' })] });
  });

  it('to a district that does not exist', async () => {
    const error = await refused(admin, { ...outage, districts: ['tmn-central', 'atlantis'] });
    expect(error).toMatchObject({
      type: 'unknown-district',
      extensions: { errors: [{ field: 'body.districts.1', message: 'unknown district' }] },
    });
  });

  it('with a send time that has passed', async () => {
    const error = await refused(admin, { ...outage, sendAt: '2026-12-09T10:00:00+05:00' });
    expect(error).toMatchObject({ type: 'send-at-in-past' });
  });

  it("from a district clerk, to another district than their own, and they cannot see others' either", async () => {
    const error = await refused(leninskyClerk, outage);
    expect(error).toMatchObject({ kind: 'forbidden', type: 'announcement-forbidden' });
    const { announcement } = await createAnnouncement(world.deps, admin, outage);
    const hidden = await problemOf(getAnnouncement(world.deps, leninskyClerk, announcement.id));
    expect(hidden).toMatchObject({ kind: 'not-found', type: 'announcement-not-found' });
  });
});
