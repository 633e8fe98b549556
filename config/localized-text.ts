// Text in the utility's languages, as every part of the configuration writes it: one schema for all of them.
import { z } from 'zod';

export const languageCode = z.string().regex(/^[a-z]{2}$/, 'a two-letter ISO 639-1 code such as "ko"');

/** Text by language; the utility's primary language must be present (checked by config/schema.ts). */
export const localizedText = z.record(languageCode, z.string().min(1));
