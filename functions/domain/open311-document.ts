// Open311 answers as text: JSON as the spec shows it (bare arrays), or XML with the spec's root and item elements.
import { XMLBuilder } from 'fast-xml-parser';
import {
  OPEN311_MEDIA_TYPE,
  type Open311Created,
  type Open311Discovery,
  type Open311Error,
  type Open311Format,
  type Open311Request,
  type Open311Service,
  type Open311ServiceDefinition,
  type Open311Token,
} from './open311.ts';

export type Open311Document =
  | { kind: 'services'; items: Open311Service[] }
  | { kind: 'service_definition'; definition: Open311ServiceDefinition }
  | { kind: 'service_requests'; items: Array<Open311Request | Open311Created | Open311Token> }
  | { kind: 'errors'; items: Open311Error[] }
  | { kind: 'discovery'; discovery: Open311Discovery };

const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

// The builder escapes &, < and > in text; empty strings become empty elements (<status_notes></status_notes>).
const builder = new XMLBuilder({ format: false, suppressEmptyNode: false });

/** The JSON shape: lists are bare arrays, a service definition and the discovery document are objects. */
function jsonOf(document: Open311Document): unknown {
  switch (document.kind) {
    case 'service_definition':
      return document.definition;
    case 'discovery':
      return document.discovery;
    default:
      return document.items;
  }
}

/** The XML tree: each list under its root, each item under the spec's element name. */
function xmlTreeOf(document: Open311Document): Record<string, unknown> {
  switch (document.kind) {
    case 'services':
      return { services: { service: document.items } };
    case 'service_definition':
      return {
        service_definition: {
          service_code: document.definition.service_code,
          attributes: {
            attribute: document.definition.attributes.map((attribute) => ({
              ...attribute,
              values: { value: attribute.values },
            })),
          },
        },
      };
    case 'service_requests':
      return { service_requests: { request: document.items } };
    case 'errors':
      return { errors: { error: document.items } };
    case 'discovery':
      return {
        discovery: {
          changeset: document.discovery.changeset,
          contact: document.discovery.contact,
          key_service: document.discovery.key_service,
          endpoints: {
            endpoint: document.discovery.endpoints.map((endpoint) => ({
              ...endpoint,
              formats: { format: endpoint.formats },
            })),
          },
        },
      };
  }
}

/** Characters XML 1.0 cannot carry at all, escaped or not (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being removed.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The tree with every text made representable: a resident's text may carry a stray control character. */
function xmlSafe(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(NOT_XML, '');
  if (Array.isArray(value)) return value.map(xmlSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, xmlSafe(inner)]));
  }
  return value;
}

/** The body and its content type for an Open311 answer in the asked format. */
export function renderOpen311(
  document: Open311Document,
  format: Open311Format,
): { contentType: string; text: string } {
  const text =
    format === 'json'
      ? JSON.stringify(jsonOf(document))
      : `${XML_DECLARATION}${builder.build(xmlSafe(xmlTreeOf(document))) as string}`;
  return { contentType: OPEN311_MEDIA_TYPE[format], text };
}
