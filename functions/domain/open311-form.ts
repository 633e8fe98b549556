// An Open311 POST requests form (application/x-www-form-urlencoded) read into the native complaint input.
import type { AttributeValue } from './complaint.ts';

/** What the form carries besides the complaint: the partner's key and jurisdiction, and ids we only echo. */
export interface Open311Form {
  apiKey?: string;
  jurisdictionId?: string;
  serviceCode?: string;
  /** The partner's own id of its user: echoed in the answer, not stored (it is not our account number). */
  accountId?: string;
  /** Whether a place was given at all (lat+long, address_string or address_id): 400 without one. */
  hasPlace: boolean;
  /** The fields of a native complaint (POST /complaints body), still to be checked by its schema. */
  input: {
    type: string;
    description?: string;
    address?: string;
    location?: { lat: number; long: number };
    phone?: string;
    attributes: Record<string, AttributeValue>;
  };
}

const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\])?$/;

/** Reads the form; an empty parameter counts as absent, as the spec says. */
export function readOpen311Form(form: URLSearchParams): Open311Form {
  const value = (name: string) => {
    const found = form.get(name)?.trim();
    return found ? found : undefined;
  };
  const attributes: Record<string, AttributeValue> = {};
  for (const [name, raw] of form) {
    const match = ATTRIBUTE.exec(name);
    const text = raw.trim();
    if (!match?.[1] || text === '') continue;
    const code = match[1];
    if (match[2]) {
      // attribute[code][]=a&attribute[code][]=b: a multivaluelist's keys.
      const list = attributes[code];
      attributes[code] = Array.isArray(list) ? [...list, text] : [text];
    } else {
      attributes[code] = text;
    }
  }
  const lat = value('lat');
  const long = value('long');
  // No address registry exists here: an address_id is kept as the address text when no address_string is given.
  const address = value('address_string') ?? value('address_id');
  const location =
    lat !== undefined || long !== undefined
      ? { lat: Number(lat ?? Number.NaN), long: Number(long ?? Number.NaN) }
      : undefined;
  const description = value('description');
  const phone = value('phone');
  const apiKey = value('api_key');
  const jurisdictionId = value('jurisdiction_id');
  const serviceCode = value('service_code');
  const accountId = value('account_id');
  return {
    ...(apiKey ? { apiKey } : {}),
    ...(jurisdictionId ? { jurisdictionId } : {}),
    ...(serviceCode ? { serviceCode } : {}),
    ...(accountId ? { accountId } : {}),
    hasPlace: location !== undefined || address !== undefined,
    input: {
      type: serviceCode ?? '',
      ...(description ? { description } : {}),
      ...(address ? { address } : {}),
      ...(location ? { location } : {}),
      ...(phone ? { phone } : {}),
      attributes,
    },
  };
}

/** The Open311 parameter a native field problem is about ("body.attributes.where" -> "attribute[where]"). */
export function open311FieldName(field: string): string {
  const path = field.replace(/^body\./, '');
  const attribute = /^attributes\.([^.]+)/.exec(path);
  if (attribute) return `attribute[${attribute[1]}]`;
  if (path.startsWith('location.lat')) return 'lat';
  if (path.startsWith('location.long')) return 'long';
  const names: Record<string, string> = {
    type: 'service_code',
    description: 'description',
    address: 'address_string',
    location: 'lat/long',
    phone: 'phone',
  };
  return names[path] ?? path;
}
