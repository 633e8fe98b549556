// The complaints part of the utility configuration: complaint types with their typed fields, where districts lie,
// who is told of a missed deadline, and the limits on filing.
import { z } from 'zod';
import { localizedText } from './localized-text.ts';

const code = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, "_" and "-"');

/** At most `max` in any fixed window of `windowMinutes` (as the other limits). */
const rateLimit = z.strictObject({
  max: z.number().int().min(1).max(1_000_000),
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(7 * 24 * 60),
});

/** Open311's attribute datatypes, which the native API uses too. */
export const attributeDatatypeSchema = z.enum([
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
]);

/** A field a complaint type asks for (Open311 "attribute"): a list type names its values by key. */
const complaintAttribute = z
  .strictObject({
    code,
    datatype: attributeDatatypeSchema,
    required: z.boolean().default(false),
    /** The question, per language (Open311 "description"). */
    name: localizedText,
    /** A hint on the expected answer (Open311 "datatype_description"). */
    hint: localizedText.optional(),
    /**
     * The values of a single- or multi-value list, each with a stable key. A `private` value makes a complaint that
     * chose it private even when its type is public: a leak "indoors" is someone's home, not a street.
     */
    values: z
      .array(z.strictObject({ key: code, name: localizedText, private: z.boolean().optional() }))
      .min(1)
      .max(50)
      .optional(),
  })
  .superRefine((attribute, ctx) => {
    const isList = attribute.datatype === 'singlevaluelist' || attribute.datatype === 'multivaluelist';
    if (isList && !attribute.values) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `a ${attribute.datatype} needs values` });
    }
    if (!isList && attribute.values) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: `a ${attribute.datatype} has no values` });
    }
    const keys = new Set<string>();
    for (const [i, value] of (attribute.values ?? []).entries()) {
      if (keys.has(value.key))
        ctx.addIssue({ code: 'custom', path: ['values', i, 'key'], message: `duplicate "${value.key}"` });
      keys.add(value.key);
    }
  });

/** A kind of complaint residents can file (Open311 "service"). */
const complaintType = z.strictObject({
  /** Stable code: the native API's `type` and Open311's `service_code`. */
  code,
  name: localizedText,
  description: localizedText,
  /** A heading the portal and Open311 (`group`) list types under. */
  group: localizedText.optional(),
  keywords: z.array(z.string().min(1)).max(20).default([]),
  /** The department of the district office that handles it (shown to staff, Open311 agency_responsible). */
  department: localizedText,
  /** Hours from filing to the expected resolution (Open311 expected_datetime); past it, the office is told. */
  slaHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90),
  /**
   * Whether its complaints are public: a public one shows its address and place to anyone with its tracking code
   * and in Open311 lists; a private one (a bill dispute) never shows exact coordinates, an address or an account.
   * A public type's complaint is still private when one of its answers is a `private` list value.
   */
  public: z.boolean(),
  attributes: z.array(complaintAttribute).max(20).default([]),
});

/** Where a district lies: a polygon ([lat, long] corners, closed or not) or a bounding box. */
export const districtAreaSchema = z.union([
  z.strictObject({
    polygon: z
      .array(z.tuple([z.number().min(-90).max(90), z.number().min(-180).max(180)]))
      .min(3)
      .max(500),
  }),
  z.strictObject({
    box: z.strictObject({
      south: z.number().min(-90).max(90),
      west: z.number().min(-180).max(180),
      north: z.number().min(-90).max(90),
      east: z.number().min(-180).max(180),
    }),
  }),
]);

/** Who hears of a complaint past its deadline: an SMS phone (E.164) and, where e-mail is set up, an address. */
export const officeContactSchema = z.strictObject({
  name: localizedText,
  alertPhone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'an E.164 number such as "+821012345678"'),
  email: z.email().optional(),
});

export const complaintsConfigSchema = z.strictObject({
  types: z.array(complaintType).min(1).max(100),
  /** The desk that takes complaints no district could be found for. */
  centralDesk: officeContactSchema,
  limits: z.strictObject({
    /** Complaints filed with one phone number. */
    perPhone: rateLimit,
    /** Complaints filed from one client address (native and Open311 without a key alike). */
    perClient: rateLimit,
    /** Complaints one Open311 api_key may file (a partner's app files for many residents). */
    perApiKey: rateLimit,
    /**
     * Open311 request searches from one client address: each reads up to a few thousand complaints, and the route
     * is public.
     */
    searchesPerClient: rateLimit.default({ max: 120, windowMinutes: 60 }),
  }),
  /** When a new complaint looks like one already filed: the same type this close, or the same account. */
  duplicates: z.strictObject({
    distanceMeters: z.number().int().min(1).max(5000),
    /** How far back a nearby complaint of the same type counts. */
    nearbyHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
    /** How far back one from the same account counts. */
    sameAccountHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  }),
  photos: z
    .strictObject({
      maxPerComplaint: z.number().int().min(1).max(10).default(5),
      maxBytes: z
        .number()
        .int()
        .min(1024)
        .max(20 * 1024 * 1024)
        .default(10 * 1024 * 1024),
      /** How long an upload form stays valid. */
      uploadSeconds: z.number().int().min(30).max(3600).default(300),
      /** The longest side of the copy that is shown; the original is never shown. */
      maxSide: z.number().int().min(320).max(4096).default(1600),
    })
    .default({ maxPerComplaint: 5, maxBytes: 10 * 1024 * 1024, uploadSeconds: 300, maxSide: 1600 }),
  open311: z
    .strictObject({
      /** Open311 jurisdiction_id, where a partner must name one. */
      jurisdictionId: z.string().min(1).optional(),
      /** The discovery document's contact line. */
      contact: z.string().min(1),
      /** The discovery document's changeset: the date the service list last changed (ISO). */
      changeset: z.iso.datetime({ offset: true }),
    })
    .optional(),
});

/** The optional complaint fields of a district (config districts[]). */
export const districtComplaintFields = {
  /** Where the district lies, so a complaint with coordinates only can be routed. */
  area: districtAreaSchema.optional(),
  /** Names an address may carry that place it in the district ("종로구", "Jongno-gu", "Калининский"). */
  addressNames: z.array(z.string().min(2)).max(50).default([]),
  /** The district office's complaints desk: SLA breaches go there. */
  complaintsContact: officeContactSchema.optional(),
};

export type ComplaintsConfig = z.infer<typeof complaintsConfigSchema>;
export type ComplaintTypeConfig = ComplaintsConfig['types'][number];
export type ComplaintAttributeConfig = ComplaintTypeConfig['attributes'][number];
export type DistrictArea = z.infer<typeof districtAreaSchema>;
