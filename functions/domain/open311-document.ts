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

/** The body and its content type for an Open311 answer in the asked format. */
export function renderOpen311(
  document: Open311Document,
  format: Open311Format,
): { contentType: string; text: string } {
  const text =
    format === 'json'
      ? JSON.stringify(jsonOf(document))
      : `${XML_DECLARATION}${builder.build(xmlTreeOf(document)) as string}`;
  return { contentType: OPEN311_MEDIA_TYPE[format], text };
}
