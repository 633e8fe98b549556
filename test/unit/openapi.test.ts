import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { httpRoutes } from '#handlers/http/routes';

const spec = parse(readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8'));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('docs/openapi.yaml', () => {
  it('documents every route the API serves, and no other', () => {
    const served = httpRoutes.map((r) => `${r.route.method} ${r.route.path}`).sort();
    const documented = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('lists every problem type the code can produce', () => {
    const documented: string[] = spec.components.schemas.Problem.properties.type.enum;
    const code = sourceFiles('functions')
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    // Where a problem type is chosen: the slug argument of each error class and of problemResponse.
    const patterns = [
      /new AppError\(\s*'[a-z-]+',\s*'([a-z-]+)'/g,
      /new (?:NotFound|Unauthenticated|Forbidden|RateLimited|Conflict)Error\(\s*'([a-z-]+)'/g,
      /new ReadingRejected\(\s*'([a-z-]+)'/g,
      /\binvalid\(\s*'([a-z-]+)'/g,
      /problemResponse\(\s*\d{3},\s*'([a-z-]+)'/g,
      /ValidationError\([^;]*?'([a-z-]+)',?\s*\);/gs,
      /UnauthenticatedError\([^?;]*\?\s*'([a-z-]+)'\s*:\s*'([a-z-]+)'/g,
    ];
    const slugs = new Set(['validation-error']);
    for (const pattern of patterns) {
      for (const match of code.matchAll(pattern))
        for (const slug of match.slice(1)) if (slug) slugs.add(slug);
    }
    expect(slugs.size).toBeGreaterThanOrEqual(30);
    for (const slug of slugs) expect(documented).toContain(`urn:utilitydesk:problem:${slug}`);
  });
});
