// An announcement text's problem (the API's stable code and figures) as a sentence in the console's language.
import { type Key, strings } from './strings.ts';

/** A field's problem as the API gives it: an English message, and where it has one a stable code with its figures. */
export interface CodedProblem {
  field: string;
  message: string;
  code?: string;
  language?: string;
  languages?: string[];
  characters?: string[];
  size?: number;
  limit?: number;
  unit?: string;
  parts?: number;
}

/** What saying it takes: the console's texts, its number format and its language (a Desk has all three). */
interface ProblemReader {
  t: (key: Key, values?: Record<string, string | number>) => string;
  fmt: { number(value: number): string };
  language: string;
}

/**
 * One field's problem in the console's language (`tp_<code>` in strings.ts, the too-long one by its unit), numbers
 * in the desk's format and languages by their names in it; the API's message for a code it does not know, or when a
 * figure its sentence needs is missing.
 */
export function fieldProblemText(reader: ProblemReader, problem: CodedProblem): string {
  const key = `tp_${problem.code}${problem.code === 'too-long' ? `_${problem.unit}` : ''}`;
  if (!problem.code || !(key in strings.en)) return problem.message;
  const number = (value?: number) => (typeof value === 'number' ? reader.fmt.number(value) : undefined);
  const values: Record<string, string | undefined> = {
    language: problem.language && languageName(problem.language, reader.language),
    languages: problem.languages?.map((code) => languageName(code, reader.language)).join(', '),
    characters: problem.characters?.map((character) => `"${character}"`).join(', '),
    size: number(problem.size),
    limit: number(problem.limit),
    parts: number(problem.parts),
  };
  const text = reader.t(
    key as Key,
    Object.fromEntries(
      Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined),
    ),
  );
  // A placeholder left unfilled would show "{size}" to the clerk: the API's own sentence is better than that.
  return /\{\w+\}/.test(text) ? problem.message : text;
}

/** A language's name in the reader's language (`fr` -> 프랑스어 in a Korean console); its code where Intl has none. */
function languageName(code: string, reader: string): string {
  try {
    return new Intl.DisplayNames([reader], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}
