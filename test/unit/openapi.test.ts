import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { CONFIRMATION_EMAIL_STATES } from '#app/reading-confirmation';
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
      /new (?:NotFound|Unauthenticated|Forbidden|RateLimited|Unavailable|Conflict)Error\(\s*'([a-z-]+)'/g,
      /new ReadingRejected\(\s*'([a-z-]+)'/g,
      /\binvalid\(\s*'([a-z-]+)'/g,
      /problemResponse\(\s*\d{3},\s*'([a-z-]+)'/g,
      /ValidationError\([^;]*?'([a-z-]+)',?\s*\);/gs,
      /UnauthenticatedError\([^?;]*\?\s*'([a-z-]+)'\s*:\s*'([a-z-]+)'/g,
      // A named subclass that fixes its type, e.g. InvalidCursorError.
      /extends ValidationError \{[^}]*?super\([^;]*?'([a-z-]+)',?\s*\);/gs,
    ];
    const slugs = new Set(['validation-error']);
    for (const pattern of patterns) {
      for (const match of code.matchAll(pattern))
        for (const slug of match.slice(1)) if (slug) slugs.add(slug);
    }
    expect(slugs).toContain('invalid-cursor');
    expect(slugs).toContain('sms-ceiling-reached');
    expect(slugs.size).toBeGreaterThanOrEqual(30);
    for (const slug of slugs) expect(documented).toContain(`urn:utilitydesk:problem:${slug}`);
  });

  // A resident reads the 422 description to learn why a reading was refused: every rule must be named there.
  it('names every rule a reading can break in the 422 of POST /accounts/{n}/readings', () => {
    const code = readFileSync('functions/app/readings.ts', 'utf8');
    // The registered-phone rule is checked for SMS only: the web has the account's token instead.
    const types = [...code.matchAll(/new ReadingRejected\(\s*'([a-z-]+)'/g)]
      .map((m) => m[1])
      .filter((type) => type !== 'phone-not-registered');
    expect(types).toContain('reading-window-full');
    const description: string =
      spec.paths['/accounts/{accountNumber}/readings'].post.responses['422'].description;
    for (const type of types) expect(description, type).toContain(type);
  });

  // The confirmation e-mail is queued, not sent, inside the request: a documented "sent" would promise what the
  // answer cannot know.
  it('documents what a web reading answer says of its confirmation e-mail, as the code has it', () => {
    const answer =
      spec.paths['/accounts/{accountNumber}/readings'].post.responses['201'].content['application/json']
        .schema.properties.confirmationEmail;
    expect(answer.enum).toEqual([...CONFIRMATION_EMAIL_STATES, null]);
  });

  /** The response a route documents for a status, with a $ref into components.responses followed. */
  function documentedResponse(method: string, path: string, status: string) {
    const operation = spec.paths[path]?.[method.toLowerCase()];
    const response = operation?.responses?.[status];
    const ref: string | undefined = response?.$ref;
    return ref ? spec.components.responses[ref.replace('#/components/responses/', '')] : response;
  }

  // Every route that texts a code passes the same limits, so each must say how a refusal looks.
  it('documents the limits on every route that texts a code: 429 and 503, each with Retry-After', () => {
    const codeRoutes = httpRoutes.filter((r) => r.queuesSms);
    expect(codeRoutes.length).toBeGreaterThanOrEqual(4);
    for (const { route } of codeRoutes) {
      const name = `${route.method} ${route.path}`;
      const limited = documentedResponse(route.method, route.path, '429');
      const ceiling = documentedResponse(route.method, route.path, '503');
      expect(limited?.headers?.['Retry-After'], name).toBeDefined();
      expect(ceiling?.headers?.['Retry-After'], name).toBeDefined();
      for (const slug of ['otp-locked', 'client-rate-limited', 'otp-rate-limited', 'account-rate-limited']) {
        expect(limited?.description, `${name} 429`).toContain(slug);
      }
      expect(ceiling?.description, `${name} 503`).toContain('sms-ceiling-reached');
    }
  });

  it('documents limit, cursor, nextCursor and a 400 for a bad cursor on every paginated route', () => {
    const paginated = httpRoutes.filter(
      (r) => r.route.query instanceof z.ZodObject && 'cursor' in r.route.query.shape,
    );
    expect(paginated.map((r) => r.route.path).sort()).toEqual([
      '/accounts/{accountNumber}/bills',
      '/accounts/{accountNumber}/readings',
      '/accounts/{accountNumber}/subscriptions',
      '/admin/announcements',
      '/admin/billing-runs/{period}',
      '/admin/complaints',
    ]);
    for (const { route } of paginated) {
      const operation = spec.paths[route.path][route.method.toLowerCase()];
      const names = (operation.parameters as Array<{ name?: string }>).map((p) => p.name);
      expect(names, route.path).toEqual(expect.arrayContaining(['limit', 'cursor']));
      const page = operation.responses['200'].content['application/json'].schema;
      const schema = page.$ref ? spec.components.schemas[page.$ref.split('/').pop()] : page;
      expect(schema.properties.nextCursor, route.path).toBeDefined();
      expect(documentedResponse(route.method, route.path, '400')?.description, route.path).toContain(
        'invalid-cursor',
      );
    }
  });
});
