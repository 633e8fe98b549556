import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { ComplaintTypeConfig } from '#config/complaints';
import { requestView, serviceDefinition, serviceEntry, w3cDateTime } from '#domain/open311';
import { renderOpen311 } from '#domain/open311-document';
import { aComplaint } from '#test/support/open311-complaints';

const LEAK: ComplaintTypeConfig = {
  code: 'leak',
  name: { ko: '누수 신고', en: 'Leak' },
  description: { ko: '누수를 신고합니다.', en: 'Water leaking from a pipe & a road.' },
  group: { ko: '급수', en: 'Water supply' },
  keywords: ['leak', 'pipe', 'burst'],
  department: { ko: '급수과', en: 'Water supply section' },
  slaHours: 24,
  public: true,
  attributes: [
    {
      code: 'where',
      datatype: 'singlevaluelist',
      required: true,
      name: { ko: '누수 위치', en: 'Where is the leak?' },
      hint: { ko: '하나를 고르세요', en: 'Pick one' },
      values: [
        { key: 'indoors', name: { ko: '실내', en: 'Indoors' } },
        { key: 'outdoors', name: { ko: '실외', en: 'Outdoors' } },
      ],
    },
    { code: 'litres', datatype: 'number', required: false, name: { ko: '양', en: 'How much?' } },
  ],
};

const BILL_DISPUTE: ComplaintTypeConfig = {
  code: 'bill-dispute',
  name: { ko: '요금 이의', en: 'Bill dispute' },
  description: { ko: '요금에 이의를 제기합니다.', en: 'Dispute a bill.' },
  keywords: [],
  department: { ko: '요금과', en: 'Billing section' },
  slaHours: 72,
  public: false,
  attributes: [],
};

const english = (text: Record<string, string>) => text.en ?? text.ko ?? '';
const korean = (text: Record<string, string>) => text.ko ?? '';
const SEOUL = 'Asia/Seoul';
const parser = new XMLParser({
  parseTagValue: false,
  isArray: (name) =>
    ['service', 'attribute', 'value', 'request', 'error', 'endpoint', 'format'].includes(name),
});

describe('Open311 services: a complaint type as a service', () => {
  it('lists a type with its name, description, group and comma-joined keywords, in the asked language', () => {
    expect(serviceEntry(LEAK, english)).toEqual({
      service_code: 'leak',
      service_name: 'Leak',
      description: 'Water leaking from a pipe & a road.',
      metadata: true,
      type: 'realtime',
      keywords: 'leak,pipe,burst',
      group: 'Water supply',
    });
    expect(serviceEntry(BILL_DISPUTE, korean)).toMatchObject({
      service_name: '요금 이의',
      metadata: false,
      keywords: '',
      group: '',
    });
  });

  it('renders the list as a bare JSON array and as <services><service> XML with the declaration', () => {
    const items = [serviceEntry(LEAK, english), serviceEntry(BILL_DISPUTE, english)];
    const json = renderOpen311({ kind: 'services', items }, 'json');
    expect(json.contentType).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.text)).toEqual(items);

    const xml = renderOpen311({ kind: 'services', items }, 'xml');
    expect(xml.contentType).toBe('text/xml; charset=utf-8');
    expect(xml.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    const services = parser.parse(xml.text).services.service;
    expect(services).toHaveLength(2);
    expect(services[0]).toEqual({
      service_code: 'leak',
      service_name: 'Leak',
      description: 'Water leaking from a pipe & a road.',
      metadata: 'true',
      type: 'realtime',
      keywords: 'leak,pipe,burst',
      group: 'Water supply',
    });
    expect(services[1].metadata).toBe('false');
    // "&" is escaped in the text as sent.
    expect(xml.text).toContain('a pipe &amp; a road');
  });

  it('renders an empty list as an empty array and an empty <services> element', () => {
    expect(renderOpen311({ kind: 'services', items: [] }, 'json').text).toBe('[]');
    expect(renderOpen311({ kind: 'services', items: [] }, 'xml').text).toContain('<services></services>');
  });
});

describe('Open311 service definition: a type’s typed fields as attributes', () => {
  it('gives each attribute its code, datatype, required flag, hint, 1-based order, question and list values', () => {
    const definition = serviceDefinition(LEAK, english);
    expect(definition).toEqual({
      service_code: 'leak',
      attributes: [
        {
          variable: true,
          code: 'where',
          datatype: 'singlevaluelist',
          required: true,
          datatype_description: 'Pick one',
          order: 1,
          description: 'Where is the leak?',
          values: [
            { key: 'indoors', name: 'Indoors' },
            { key: 'outdoors', name: 'Outdoors' },
          ],
        },
        {
          variable: true,
          code: 'litres',
          datatype: 'number',
          required: false,
          datatype_description: '',
          order: 2,
          description: 'How much?',
          values: [],
        },
      ],
    });
    expect(JSON.parse(renderOpen311({ kind: 'service_definition', definition }, 'json').text)).toEqual(
      definition,
    );
  });

  it('renders <service_definition><attributes><attribute>…<values><value><key/><name/> in XML', () => {
    const definition = serviceDefinition(LEAK, korean);
    const parsed = parser.parse(renderOpen311({ kind: 'service_definition', definition }, 'xml').text);
    expect(parsed.service_definition.service_code).toBe('leak');
    const [where, litres] = parsed.service_definition.attributes.attribute;
    expect(where).toEqual({
      variable: 'true',
      code: 'where',
      datatype: 'singlevaluelist',
      required: 'true',
      datatype_description: '하나를 고르세요',
      order: '1',
      description: '누수 위치',
      values: {
        value: [
          { key: 'indoors', name: '실내' },
          { key: 'outdoors', name: '실외' },
        ],
      },
    });
    expect(litres).toMatchObject({ code: 'litres', datatype: 'number', required: 'false', order: '2' });
    expect(litres.values).toBe('');
  });
});

describe('Open311 service requests: a complaint as a request', () => {
  const context = (type: ComplaintTypeConfig) => ({
    type,
    localize: english,
    language: 'en',
    timeZone: SEOUL,
    agency: 'Jongno-gu water office',
  });

  it('shows a public type’s request with its tracking code, place and dates in Seoul’s offset', () => {
    // A leak reported on a street corner at 10:00 Seoul time, assigned an hour later.
    const complaint = aComplaint({
      type: 'leak',
      createdAt: '2026-12-01T01:00:00.000Z',
      updatedAt: '2026-12-01T02:00:00.000Z',
      dueAt: '2026-12-02T01:00:00.000Z',
      status: 'assigned',
      address: '서울 종로구 세종대로 175',
      location: { lat: 37.5729, long: 126.9794 },
      phone: '+821012345678',
      accountNumber: '120100000',
    });
    const view = requestView(complaint, context(LEAK));
    expect(view).toEqual({
      service_request_id: complaint.trackingCode,
      status: 'open',
      status_notes: '',
      service_name: 'Leak',
      service_code: 'leak',
      description: complaint.description,
      agency_responsible: 'Jongno-gu water office',
      service_notice: 'Water supply section handles it; expected within 24 hours.',
      requested_datetime: '2026-12-01T10:00:00+09:00',
      updated_datetime: '2026-12-01T11:00:00+09:00',
      expected_datetime: '2026-12-02T10:00:00+09:00',
      address: '서울 종로구 세종대로 175',
      lat: 37.5729,
      long: 126.9794,
      media_url: '',
    });
    // The internal id (the reporter's handle for photos) and the reporter's contact data never appear.
    const text = renderOpen311({ kind: 'service_requests', items: [view] }, 'xml').text;
    expect(text).not.toContain(complaint.id);
    expect(text).not.toContain('+821012345678');
    expect(text).not.toContain('120100000');
  });

  it('shows a private type’s request without its address, coordinates or description', () => {
    // A bill dispute names a household and its money: Open311 lists are public.
    const complaint = aComplaint({
      type: 'bill-dispute',
      createdAt: '2026-12-01T01:00:00.000Z',
      description: 'My neighbour Kim at 12-3 pays less than me.',
      address: '서울 종로구 12-3',
      location: { lat: 37.57, long: 126.98 },
    });
    const view = requestView(complaint, context(BILL_DISPUTE));
    expect(view).not.toHaveProperty('address');
    expect(view).not.toHaveProperty('lat');
    expect(view).not.toHaveProperty('long');
    expect(view).not.toHaveProperty('description');
    const xml = renderOpen311({ kind: 'service_requests', items: [view] }, 'xml').text;
    expect(xml).not.toContain('12-3');
    expect(xml).not.toContain('<lat>');
  });

  it('is closed once resolved or rejected, with the rejection reason as the only status note; staff notes stay inside', () => {
    const rejected = aComplaint({
      type: 'leak',
      createdAt: '2026-12-01T01:00:00.000Z',
      status: 'rejected',
      rejectReason: 'The pipe belongs to the building; call its manager.',
      history: [
        { at: '2026-12-01T01:00:00.000Z', by: { kind: 'resident' }, action: 'filed' },
        {
          at: '2026-12-01T03:00:00.000Z',
          by: { kind: 'staff', subject: 'clerk-1' },
          action: 'note',
          note: 'Caller was rude',
        },
      ],
    });
    const view = requestView(rejected, context(LEAK));
    expect(view.status).toBe('closed');
    expect(view.status_notes).toBe('The pipe belongs to the building; call its manager.');
    expect(JSON.stringify(view)).not.toContain('rude');

    const merged = aComplaint({
      type: 'leak',
      createdAt: '2026-12-01T01:00:00.000Z',
      status: 'resolved',
      mergedInto: 'ABCD1234',
    });
    expect(requestView(merged, context(LEAK))).toMatchObject({
      status: 'closed',
      status_notes: 'Handled together with request ABCD1234.',
    });
    expect(requestView({ ...merged, mergedInto: undefined }, context(LEAK)).status_notes).toBe('');
  });

  it('renders requests as a bare array and as <service_requests><request> XML, field by field', () => {
    const complaint = aComplaint({
      type: 'leak',
      createdAt: '2026-12-01T01:00:00.000Z',
      location: { lat: 37.5729, long: 126.9794 },
    });
    const view = requestView(complaint, { ...context(LEAK), localize: korean, language: 'ko' });
    expect(JSON.parse(renderOpen311({ kind: 'service_requests', items: [view] }, 'json').text)).toEqual([
      view,
    ]);
    const [request] = parser.parse(renderOpen311({ kind: 'service_requests', items: [view] }, 'xml').text)
      .service_requests.request;
    expect(request).toEqual({
      service_request_id: complaint.trackingCode,
      status: 'open',
      status_notes: '',
      service_name: '누수 신고',
      service_code: 'leak',
      description: complaint.description,
      agency_responsible: 'Jongno-gu water office',
      service_notice: '급수과에서 처리합니다. 예상 처리 시간: 24시간.',
      requested_datetime: '2026-12-01T10:00:00+09:00',
      updated_datetime: '2026-12-01T10:00:00+09:00',
      expected_datetime: '2026-12-02T10:00:00+09:00',
      lat: '37.5729',
      long: '126.9794',
      media_url: '',
    });
  });
});

describe('XML that every parser reads', () => {
  it('drops characters XML 1.0 cannot carry from a resident’s text, and keeps the rest', () => {
    // A description pasted from a chat app with a bell character and a broken emoji half.
    const complaint = aComplaint({
      type: 'leak',
      createdAt: '2026-12-01T01:00:00.000Z',
      description: 'Water\u0007 on the road \uD83D and a tab\there 💧',
    });
    const view = requestView(complaint, {
      type: LEAK,
      localize: english,
      language: 'en',
      timeZone: SEOUL,
      agency: 'Jongno-gu water office',
    });
    const text = renderOpen311({ kind: 'service_requests', items: [view] }, 'xml').text;
    const request = new XMLParser().parse(text).service_requests.request;
    expect(request.description).toBe('Water on the road  and a tab\there 💧');
    // JSON carries any character escaped: the text is left as filed.
    const [asJson] = JSON.parse(renderOpen311({ kind: 'service_requests', items: [view] }, 'json').text);
    expect(asJson.description).toBe(complaint.description);
  });
});

describe('Open311 errors and discovery', () => {
  it('renders errors as [{code, description}] and <errors><error><code/><description/>', () => {
    const items = [{ code: 403, description: 'api_key is missing or not valid.' }];
    expect(JSON.parse(renderOpen311({ kind: 'errors', items }, 'json').text)).toEqual(items);
    expect(parser.parse(renderOpen311({ kind: 'errors', items }, 'xml').text)).toEqual({
      '?xml': '',
      errors: { error: [{ code: '403', description: 'api_key is missing or not valid.' }] },
    });
  });

  it('renders the discovery document with its endpoint and formats', () => {
    const discovery = {
      changeset: '2026-12-01T00:00:00+09:00',
      contact: 'Seoul water: 120',
      key_service: 'Ask the utility for a key.',
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: 'https://api.example/open311/v2',
          changeset: '2026-12-01T00:00:00+09:00',
          type: 'production' as const,
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
    expect(JSON.parse(renderOpen311({ kind: 'discovery', discovery }, 'json').text)).toEqual(discovery);
    const parsed = parser.parse(renderOpen311({ kind: 'discovery', discovery }, 'xml').text).discovery;
    expect(parsed).toEqual({
      changeset: '2026-12-01T00:00:00+09:00',
      contact: 'Seoul water: 120',
      key_service: 'Ask the utility for a key.',
      endpoints: {
        endpoint: [
          {
            specification: 'http://wiki.open311.org/GeoReport_v2',
            url: 'https://api.example/open311/v2',
            changeset: '2026-12-01T00:00:00+09:00',
            type: 'production',
            formats: { format: ['text/xml', 'application/json'] },
          },
        ],
      },
    });
  });

  it('writes W3C dates with the utility’s offset, not UTC', () => {
    expect(w3cDateTime('2026-12-31T15:30:00.000Z', SEOUL)).toBe('2027-01-01T00:30:00+09:00');
    expect(w3cDateTime('2026-12-31T15:30:00.000Z', 'Asia/Yekaterinburg')).toBe('2026-12-31T20:30:00+05:00');
    // To the second, as the spec's examples: a filing time's milliseconds are dropped, not rounded up.
    expect(w3cDateTime('2026-12-02T00:22:35.961Z', SEOUL)).toBe('2026-12-02T09:22:35+09:00');
  });
});
