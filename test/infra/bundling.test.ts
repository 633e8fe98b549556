// The one infra test that really bundles: every function's entry builds with esbuild into an ESM file.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { RECEIPT_FONT_FILE, RECEIPT_FONT_PACKAGE_FILE } from '#adapters/pdf/receipt-font';
import { loadUtilityConfig } from '#config/load';
import { httpRoutes, notFoundRoute } from '#handlers/http/routes';
import { schedules } from '#handlers/schedule/schedules';
import { photoCheckConsumer, queueConsumers } from '#handlers/sqs/consumers';
import { buildApp, cdkJsonContext } from '#lib/app';
import { REPO_ROOT } from '#lib/utility-function';

/**
 * The largest minified bundle allowed. The complaint stores and texts in the one composition root, and the config
 * baked into every bundle (complaint types, district areas), took the largest (CreateAnnouncement, NoticeSend) to
 * 1,540 KiB on 2026-12-02 (docs/performance.md).
 */
const BUNDLE_BUDGET_KIB = 1600;
/** A function that prints PDFs also carries pdfkit and fontkit (with its WOFF2 decoder): 2,372 KiB measured. */
const PDF_BUNDLE_BUDGET_KIB = 2560;
/**
 * The functions that work out due dates on business days carry date-holidays' calendar of every country (about
 * 1 MiB): the billing run's consumer (2,914 KiB measured) and the due-reminder schedule.
 */
const DUE_DATE_BUNDLE_BUDGET_KIB = 3072;
const DUE_DATE_FUNCTIONS = new Set(['Billing', 'DueReminders']);
/**
 * The routes that sign for the complaint photo bucket carry the S3 client twice (s3-presigned-post pins its own
 * copy): about 340 KiB over the others. The photo check also carries jpeg-js, pngjs and libheif (2 MiB of
 * JavaScript and WebAssembly for HEIC), loaded on the first HEIC only (docs/performance.md).
 */
const PHOTO_BUNDLE_BUDGET_KIB = 2048;
const PHOTO_CHECK_BUNDLE_BUDGET_KIB = 4096;

describe('bundling the functions', () => {
  // Prepare + Act: synthesize with bundling on (the other infra tests skip it for speed).
  const outdir = mkdtempSync(join(tmpdir(), 'utilitydesk-bundle-'));
  const app = new App({ outdir, builtinCloudFormationValidation: false, context: cdkJsonContext() });
  const config = loadUtilityConfig('seoul-water');
  const { api } = buildApp({ app, config, deletionProtection: true, nag: false });
  const template = Template.fromStack(api);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** The bundle directory of each function, by route or consumer id, found through the function's code asset. */
  const bundles = [...httpRoutes, notFoundRoute, ...queueConsumers, photoCheckConsumer, ...schedules].map(
    (route) => {
      const fn = api.functions.get(route.id);
      const logicalId = fn ? api.getLogicalId(fn.function.node.defaultChild as CfnFunction) : '';
      const code = template.findResources('AWS::Lambda::Function')[logicalId]?.Properties.Code as {
        S3Key: string;
      };
      return { id: route.id, dir: join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`) };
    },
  );

  it('writes an index.mjs with a source map for every function', () => {
    for (const { id, dir } of bundles) {
      expect(existsSync(join(dir, 'index.mjs')), id).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map')), id).toBe(true);
    }
  });

  it('gives the ESM bundles a `require` for the CommonJS dependencies that still call it', () => {
    for (const { id, dir } of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(
        code.startsWith("import { createRequire } from 'module'; const require = createRequire("),
        id,
      ).toBe(true);
    }
  });

  it('bakes the checked utility configuration into the code, so no function reads it from the environment', () => {
    // The define replaces the expression `process.env.UTILITY_CONFIG_JSON` with the JSON text as a string
    // literal; it cannot replace a dynamic `process.env[name]`, so the handlers must read it literally.
    const bakedConfig = new RegExp(`\\\\?"id\\\\?":\\\\?"${config.id}\\\\?"`);
    const unbaked = bundles.filter(
      ({ dir }) => !bakedConfig.test(readFileSync(join(dir, 'index.mjs'), 'utf8')),
    );
    expect(unbaked.map(({ id }) => id)).toEqual([]);
  });

  it('carries the tracer and its X-Ray SDK inside the bundle, since Lambda has no node_modules to load them from', () => {
    // observability.ts imports the tracer dynamically (only in Lambda); esbuild must still bundle it, or every
    // cold start with tracing on would fail to find the package.
    for (const { id, dir } of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code, id).toContain('AWS_XRAY_DAEMON_ADDRESS');
      expect(code, id).not.toMatch(/import\(["']@aws-lambda-powertools\/tracer/);
    }
  });

  it(`stays within ${BUNDLE_BUDGET_KIB} KiB per function, ${PDF_BUNDLE_BUDGET_KIB} for PDF printers, ${DUE_DATE_BUNDLE_BUDGET_KIB} for due dates (cold start; figures in docs/performance.md)`, () => {
    const sizes = bundles.map(({ id, dir }) => ({ id, kib: statSync(join(dir, 'index.mjs')).size / 1024 }));
    const printing = new Set(httpRoutes.filter((route) => route.printsPdf).map((route) => route.id));
    const photos = new Set(
      httpRoutes.filter((route) => route.uploadsPhotos || route.viewsPhotos).map((route) => route.id),
    );
    const budget = (id: string) =>
      printing.has(id)
        ? PDF_BUNDLE_BUDGET_KIB
        : DUE_DATE_FUNCTIONS.has(id)
          ? DUE_DATE_BUNDLE_BUDGET_KIB
          : id === photoCheckConsumer.id
            ? PHOTO_CHECK_BUNDLE_BUDGET_KIB
            : photos.has(id)
              ? PHOTO_BUNDLE_BUDGET_KIB
              : BUNDLE_BUDGET_KIB;
    expect(sizes.filter(({ id, kib }) => kib > budget(id))).toEqual([]);
  });

  it('puts the receipt font beside the code of the functions that print PDFs, and only there', () => {
    // In Lambda there is no node_modules: pdfkit reads the font from the bundle directory, next to index.mjs.
    const font = statSync(join(REPO_ROOT, 'node_modules', RECEIPT_FONT_PACKAGE_FILE)).size;
    const printing = new Set(httpRoutes.filter((route) => route.printsPdf).map((route) => route.id));
    expect([...printing]).toEqual(['GetReceipt']);
    for (const { id, dir } of bundles) {
      const copied = join(dir, RECEIPT_FONT_FILE);
      expect(existsSync(copied), id).toBe(printing.has(id));
      if (printing.has(id)) {
        expect(statSync(copied).size).toBe(font);
        expect(readFileSync(join(dir, 'index.mjs'), 'utf8')).toContain(RECEIPT_FONT_FILE);
      }
    }
  });

  it('leaves out the SDK clients of the SMS providers the utility does not use', () => {
    // Seoul sends through its domestic gateway and SES: no End User Messaging, SNS or Pinpoint client.
    expect(config.channels.sms.outbound.provider).toBe('gateway');
    for (const { id, dir } of bundles) {
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code, id).not.toMatch(/CheckIfPhoneNumberIsOptedOut|mobiletargeting|DescribeOptedOutNumbers/);
      expect(code, id).toContain('SendEmail');
    }
  });
});
