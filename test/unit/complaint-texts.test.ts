// The complaint SMS texts: every update in each language the demo utilities write in, with the tracking code.
import { describe, expect, it } from 'vitest';
import {
  type ComplaintUpdateEvent,
  complaintUpdateText,
  slaAlertText,
  slaSummaryText,
} from '#domain/complaint-texts';

const EVENTS: ComplaintUpdateEvent[] = ['assigned', 'resolved', 'rejected', 'merged'];
const text = {
  utilityName: 'Water',
  trackingCode: 'K7M2QX9A',
  typeName: 'Leak',
  reason: 'not ours',
  original: 'P4T8W2RA',
};

describe('complaint update texts', () => {
  // A reporter in Seoul may write Korean or English, one in Tyumen Russian: each hears of every change in theirs.
  it('name the tracking code in Korean, Russian and English, a rejection its reason and a merge the original', () => {
    for (const language of ['ko', 'ru', 'en']) {
      const bodies = EVENTS.map((event) => complaintUpdateText(language, event, text));
      expect(new Set(bodies).size, language).toBe(EVENTS.length);
      for (const body of bodies) expect(body, language).toContain('K7M2QX9A');
      expect(bodies[2], language).toContain('not ours');
      expect(bodies[3], language).toContain('P4T8W2RA');
    }
    expect(complaintUpdateText('ru', 'resolved', text)).toBe('Water: обращение K7M2QX9A (Leak) выполнено.');
  });

  it('fall back to English for a language with no texts', () => {
    expect(complaintUpdateText('de', 'assigned', text)).toBe(complaintUpdateText('en', 'assigned', text));
  });

  it("tell the office the code, the type and the hours overdue, and sum up what is past the run's bound", () => {
    expect(slaAlertText('en', { trackingCode: 'K7M2QX9A', typeName: 'Leak', hoursOverdue: 0 })).toBe(
      '[Complaint past SLA] K7M2QX9A (Leak) has just passed its deadline.',
    );
    expect(slaAlertText('en', { trackingCode: 'K7M2QX9A', typeName: 'Leak', hoursOverdue: 3 })).toBe(
      '[Complaint past SLA] K7M2QX9A (Leak) is 3 h past its deadline.',
    );
    expect(slaSummaryText('ru', 7)).toContain('Ещё 7');
  });
});
