// Complaint statistics over a window of filing dates in Seoul's time zone, per district and per type.
import { beforeEach, describe, expect, it } from 'vitest';
import { complaintStats } from '#app/complaint-stats';
import { AppError } from '#domain/errors';
import type { StaffPrincipal } from '#domain/staff';
import { aComplaint } from '../support/builders.ts';
import { type TestWorld, testWorld } from '../support/deps.ts';

const admin: StaffPrincipal = { subject: 'admin-1', roles: ['admin'], districts: [], allDistricts: true };
const jongnoClerk: StaffPrincipal = {
  subject: 'c',
  roles: ['staff'],
  districts: ['11110'],
  allDistricts: false,
};

let world: TestWorld;

beforeEach(async () => {
  // Noon KST on 10 December 2026.
  world = await testWorld('seoul-water', new Date('2026-12-10T03:00:00Z'));
  const filed = [
    // Jongno, leaks: resolved in 4 h, 10 h and 30 h; one merged away after 1 h (not handling); one still open.
    { id: 'a', district: '11110', type: 'leak', createdAt: '2026-12-01T00:00:00.000Z', hours: 4 },
    { id: 'b', district: '11110', type: 'leak', createdAt: '2026-12-02T00:00:00.000Z', hours: 10 },
    { id: 'c', district: '11110', type: 'leak', createdAt: '2026-12-03T00:00:00.000Z', hours: 30 },
    {
      id: 'd',
      district: '11110',
      type: 'leak',
      createdAt: '2026-12-03T01:00:00.000Z',
      hours: 1,
      merged: true,
    },
    { id: 'e', district: '11110', type: 'water-quality', createdAt: '2026-12-04T00:00:00.000Z' },
    // Jung-gu: one rejected. Central desk: one received.
    { id: 'f', district: '11140', type: 'leak', createdAt: '2026-12-05T00:00:00.000Z', rejected: true },
    { id: 'g', district: 'central', type: 'leak', createdAt: '2026-12-05T00:00:00.000Z' },
    // 30 November 23:30 KST: the day before the window.
    { id: 'h', district: '11110', type: 'leak', createdAt: '2026-11-30T14:30:00.000Z', hours: 2 },
  ];
  for (const [i, f] of filed.entries()) {
    const closedAt = f.hours
      ? new Date(Date.parse(f.createdAt) + f.hours * 3600_000).toISOString()
      : undefined;
    await world.deps.complaints.create(
      aComplaint({
        id: f.id,
        trackingCode: `QQQQQQQ${i}`,
        district: f.district,
        type: f.type,
        createdAt: f.createdAt,
        status: closedAt ? 'resolved' : f.rejected ? 'rejected' : 'received',
        ...(closedAt ? { resolvedAt: closedAt } : {}),
        ...(f.merged ? { mergedInto: 'QQQQQQQ0' } : {}),
      }),
    );
  }
});

describe('complaint statistics', () => {
  it('counts the window by status and takes the median handling time of the resolved, per district and type', async () => {
    // The head of service asks for 1-9 December (local dates, the whole of both days).
    const stats = await complaintStats(world.deps, admin, { from: '2026-12-01', to: '2026-12-09' });

    expect(stats.from).toBe('2026-11-30T15:00:00.000Z');
    expect(stats.to).toBe('2026-12-09T15:00:00.000Z');
    expect(stats.total).toMatchObject({ count: 7, resolvedCount: 3, medianHandlingHours: 10 });
    expect(stats.total.byStatus).toEqual({
      received: 2,
      assigned: 0,
      in_progress: 0,
      resolved: 4,
      rejected: 1,
    });
    const jongno = stats.byDistrict.find((d) => d.district === '11110');
    expect(jongno).toMatchObject({ count: 5, resolvedCount: 3, medianHandlingHours: 10 });
    expect(stats.byDistrict.find((d) => d.district === 'central')).toMatchObject({ count: 1 });
    expect(stats.byType.find((t) => t.type === 'leak')).toMatchObject({ count: 6, typeName: '누수 신고' });
    expect(stats.byType.find((t) => t.type === 'water-quality')).toMatchObject({
      count: 1,
      medianHandlingHours: null,
    });
  });

  it('gives a clerk their district only, and the median of an even count is the mean of the middle two', async () => {
    // From 30 November 23:00 KST: the complaint of 23:30 that evening is counted too.
    const stats = await complaintStats(world.deps, jongnoClerk, {
      from: '2026-11-30T23:00:00+09:00',
      to: '2026-12-09',
    });
    expect(stats.districts).toEqual(['11110']);
    expect(stats.total).toMatchObject({ count: 6, resolvedCount: 4, medianHandlingHours: 7 });
  });

  it('refuses a window that ends before it starts, or is longer than 366 days, or is no date', async () => {
    for (const window of [
      { from: '2026-12-09', to: '2026-12-01' },
      { from: '2025-11-30', to: '2026-12-01' },
      { from: 'yesterday' },
    ]) {
      const error = await complaintStats(world.deps, admin, window).catch((e: unknown) => e);
      expect(error, JSON.stringify(window)).toBeInstanceOf(AppError);
      expect((error as AppError).kind).toBe('invalid');
    }
  });
});
