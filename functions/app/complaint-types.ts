// The complaint types a resident can choose from, in their language: what the filing form and the portal show.
import type { ComplaintTypeConfig } from '#config/complaints';
import { localize, type UtilityConfig } from '#config/schema';
import type { Deps } from './ports.ts';
import { requestLanguage } from './request-language.ts';

export interface ComplaintAttributeView {
  code: string;
  datatype: ComplaintTypeConfig['attributes'][number]['datatype'];
  required: boolean;
  name: string;
  hint?: string;
  /** 1-based position on the form (Open311's `order`). */
  order: number;
  /**
   * The choices of a single- or multi-value list. `private` marks a choice that keeps the complaint's place out of
   * public view (a leak indoors), so a form can tell the resident before they send it.
   */
  values?: Array<{ key: string; name: string; private?: true }>;
}

export interface ComplaintTypeView {
  code: string;
  name: string;
  description: string;
  group?: string;
  department: string;
  slaHours: number;
  public: boolean;
  attributes: ComplaintAttributeView[];
}

export interface ComplaintTypeList {
  /** The language every text below is in. */
  language: string;
  types: ComplaintTypeView[];
}

/** Every configured type in the language asked for (`lang`), else the Accept-Language one, else the primary one. */
export function listComplaintTypes(
  deps: Pick<Deps, 'config'>,
  asked: { lang?: string; acceptLanguage?: string },
): ComplaintTypeList {
  const { config } = deps;
  // The same choice as the tracking page's, so a resident sees one language across the complaint pages.
  const language = requestLanguage(config, asked.lang, asked.acceptLanguage);
  return { language, types: config.complaints.types.map((type) => typeView(config, type, language)) };
}

function typeView(config: UtilityConfig, type: ComplaintTypeConfig, language: string): ComplaintTypeView {
  const text = (value: Record<string, string>) => localize(config, value, language);
  return {
    code: type.code,
    name: text(type.name),
    description: text(type.description),
    ...(type.group ? { group: text(type.group) } : {}),
    department: text(type.department),
    slaHours: type.slaHours,
    public: type.public,
    attributes: type.attributes.map((attribute, i) => ({
      code: attribute.code,
      datatype: attribute.datatype,
      required: attribute.required,
      name: text(attribute.name),
      ...(attribute.hint ? { hint: text(attribute.hint) } : {}),
      order: i + 1,
      ...(attribute.values
        ? {
            values: attribute.values.map((value) => ({
              key: value.key,
              name: text(value.name),
              ...(value.private ? { private: true as const } : {}),
            })),
          }
        : {}),
    })),
  };
}
