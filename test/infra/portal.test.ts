// The portal as CloudFormation will create it: a private bucket only CloudFront reads, HTTPS with the strict headers,
// deep links that reach their app, the generated config.json, CORS narrowed to the portal, and the console's sign-in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type App, type CfnResource, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { requestLanguage } from '#app/request-language';
import { availableUtilities, loadUtilityConfig } from '#config/load';
import type { UtilityConfig } from '#config/schema';
import { stackNames } from '#lib/app';
import { cachedReadsRevision } from '#lib/portal';
import { PORTAL_CACHE, PORTAL_HEADERS } from '#lib/portal-headers';
import { withExternalBilling } from '#test/support/configs';
import { sharedSynth } from '#test/support/shared-synth';

const seoul = sharedSynth(loadUtilityConfig('seoul-water'));
const { api } = seoul.deployment;
const portal = api.portal;
const template = seoul.template;
const resources: Record<string, { Type: string; Properties: Record<string, unknown> }> =
  template.toJSON().Resources;

const idOf = (construct: { node: { defaultChild?: unknown } }) =>
  api.getLogicalId(construct.node.defaultChild as CfnResource);
const bucketId = idOf(portal.bucket);
const distributionId = idOf(portal.distribution);
const apiId = idOf(api.api);
const clientId = idOf(portal.consoleClient);

/** An intrinsic as readable text: <AWS::Region>, <Logical.Attr>, <Stack:Output>; joins flattened. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const node = value as Record<string, unknown>;
  if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  const getAtt = node['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return `<${getAtt.join('.')}>`;
  const join = node['Fn::Join'];
  if (Array.isArray(join)) return (join[1] as unknown[]).map(render).join(join[0] as string);
  const output = node['Fn::GetStackOutput'] as { StackName: string; OutputName: string } | undefined;
  if (output) return `<${output.StackName}:${output.OutputName}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

/** The CloudFront Function a behaviour's association names. */
function edgeFunction(association: { FunctionARN: { 'Fn::GetAtt': [string] } }) {
  const [id] = association.FunctionARN['Fn::GetAtt'];
  const found = resources[id];
  expect(found?.Type).toBe('AWS::CloudFront::Function');
  return (found as { Properties: Record<string, unknown> }).Properties;
}

function resourcesOf(type: string) {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function only(type: string) {
  const found = resourcesOf(type);
  expect(found, type).toHaveLength(1);
  return (found[0] as (typeof found)[number])[1].Properties;
}

const distribution = only('AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
const cloudFrontOrigin = `https://<${distributionId}.DomainName>`;
/** The staff sign-in's origin as the API stack reads it from the data stack. */
const signInOrigin = new RegExp(
  `^https://<${stackNames('seoul-water').data}:[A-Za-z0-9]+>\\.auth\\.<AWS::Region>\\.amazoncognito\\.com$`,
);
const photoOrigin =
  'https://seoul-water-complaint-photos-<AWS::AccountId>-<AWS::Region>.s3.<AWS::Region>.amazonaws.com';

/** The SDK call of an AwsCustomResource, its intrinsics rendered. */
function sdkCall(id: string, phase: 'Create' | 'Update' | 'Delete' = 'Create') {
  const [, resource] = resourcesOf('Custom::AWS').find(([logicalId]) => logicalId.startsWith(id)) ?? [];
  if (!resource) throw new Error(`no custom resource ${id}`);
  return JSON.parse(render(resource.Properties[phase]));
}

/** The staged files of a BucketDeployment source (the cloud assembly holds each asset as a folder). */
function stagedFiles(objectKey: string): string[] {
  const folder = join(assemblyDir(), `asset.${objectKey.replace(/\.zip$/, '')}`);
  const walk = (dir: string, prefix = ''): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    );
  return walk(folder).sort();
}

function assemblyDir(): string {
  return (api.node.root as App).outdir;
}

function deployment(idPrefix: string) {
  const [, resource] =
    resourcesOf('Custom::CDKBucketDeployment').find(([logicalId]) =>
      logicalId.startsWith(`Portal${idPrefix}`),
    ) ?? [];
  if (!resource) throw new Error(`no deployment ${idPrefix}`);
  return resource.Properties as {
    SourceObjectKeys: string[];
    SourceMarkers?: Array<Record<string, unknown>>;
    SystemMetadata: Record<string, string>;
    DestinationBucketKeyPrefix?: string;
    DistributionId?: unknown;
    DistributionPaths?: string[];
    Prune: boolean;
  };
}

describe('the site bucket', () => {
  const bucket = resources[bucketId]?.Properties ?? {};

  it('is private, encrypted, logged, and no website: CloudFront is its only reader', () => {
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.WebsiteConfiguration).toBeUndefined();
    expect(bucket.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: idOf(portal.node.findChild('Logs') as never) },
      LogFilePrefix: 'site/',
    });
  });

  // A policy that let anyone else read would bypass the headers; one without TLS would allow plain HTTP reads.
  it('lets only this distribution read objects (origin access control), and refuses anything without TLS', () => {
    const [, policy] =
      resourcesOf('AWS::S3::BucketPolicy').find(
        ([, p]) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId }),
      ) ?? [];
    if (!policy) throw new Error('no policy on the site bucket');
    const statements = (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> })
      .Statement;
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 's3:GetObject',
      Principal: { Service: 'cloudfront.amazonaws.com' },
    });
    expect(
      render(
        (allows[0] as { Condition: { StringEquals: Record<string, unknown> } }).Condition.StringEquals[
          'AWS:SourceArn'
        ],
      ),
    ).toBe(`arn:<AWS::Partition>:cloudfront::<AWS::AccountId>:distribution/<${distributionId}>`);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
  });
});

describe('the distribution', () => {
  const behaviors = [
    distribution.DefaultCacheBehavior,
    ...(distribution.CacheBehaviors as unknown[]),
  ] as Array<Record<string, unknown>>;

  it('reads the bucket through origin access control (signed requests), not a public endpoint or an identity', () => {
    const oac = only('AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig;
    expect(oac).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const s3Origins = (distribution.Origins as Array<Record<string, unknown>>).filter(
      (origin) => origin.S3OriginConfig,
    );
    expect(s3Origins).toEqual([
      expect.objectContaining({
        DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
        S3OriginConfig: { OriginAccessIdentity: '' },
        OriginAccessControlId: expect.anything(),
      }),
    ]);
  });

  it('redirects plain HTTP to HTTPS and sends the security headers on every path', () => {
    // The pages and their assets, and the two public reads cached at the edge.
    expect(behaviors).toHaveLength(4);
    const headersPolicy = { Ref: idOf(portal.node.findChild('Headers') as never) };
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({
        ViewerProtocolPolicy: 'redirect-to-https',
        ResponseHeadersPolicyId: headersPolicy,
      });
    }
    expect(distribution.DefaultRootObject).toBe('index.html');
    expect(distribution.Logging).toMatchObject({ Prefix: 'cloudfront/' });
  });

  it("serves from CloudFront's own certificate without a custom domain", () => {
    expect(distribution.Aliases).toBeUndefined();
    expect(distribution.ViewerCertificate).toBeUndefined();
  });

  it('rewrites the deep links of each app to its index.html at the viewer request, and nothing with a file extension', () => {
    const associations = (distribution.DefaultCacheBehavior as Record<string, unknown>).FunctionAssociations;
    expect(associations).toEqual([
      { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } },
    ]);
    const [association] = associations as Array<{ FunctionARN: { 'Fn::GetAtt': [string] } }>;
    if (!association) throw new Error('no function on the default behaviour');
    const fn = edgeFunction(association);
    expect(fn.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    // The code CloudFront runs, run here on the requests it will see.
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (event: {
      request: { uri: string };
    }) => { uri: string };
    const uriFor = (uri: string) => handler({ request: { uri } }).uri;
    expect(uriFor('/')).toBe('/index.html');
    expect(uriFor('/bills/2026-11')).toBe('/index.html');
    expect(uriFor('/administration')).toBe('/index.html');
    expect(uriFor('/admin')).toBe('/admin/index.html');
    expect(uriFor('/admin/')).toBe('/admin/index.html');
    expect(uriFor('/admin/complaints/queue')).toBe('/admin/index.html');
    expect(uriFor('/assets/citizen-1F1aWmNS.js')).toBe('/assets/citizen-1F1aWmNS.js');
    expect(uriFor('/config.json')).toBe('/config.json');
    expect(uriFor('/admin/index.html')).toBe('/admin/index.html');
  });
});

describe('the public reads cached at the edge', () => {
  const cached = (distribution.CacheBehaviors as Array<Record<string, unknown>>).filter(
    (behavior) => behavior.PathPattern !== '/assets/*',
  );
  const origins = distribution.Origins as Array<Record<string, unknown>>;

  // An outage sends the whole district to the portal at once: these two reads are the same for everyone.
  it("answers GET /utility and GET /announcements at the portal's origin, reading and caching GET and HEAD only", () => {
    expect(cached.map((behavior) => behavior.PathPattern)).toEqual(['/utility', '/announcements']);
    for (const behavior of cached) {
      expect(behavior).toMatchObject({
        AllowedMethods: ['GET', 'HEAD'],
        CachedMethods: ['GET', 'HEAD'],
        ViewerProtocolPolicy: 'redirect-to-https',
        Compress: true,
        ResponseHeadersPolicyId: { Ref: idOf(portal.node.findChild('Headers') as never) },
      });
      expect(behavior.FunctionAssociations).toEqual([
        { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [expect.any(String), 'FunctionARN'] } },
      ]);
    }
  });

  // Each browser sends its own Accept-Language string; keyed on those, the cache would hold a copy per string and a
  // rush would mostly miss. The function leaves one of the utility's languages, the one the API would pick anyway.
  it('turns Accept-Language into the one language the API would answer in, so the cache keeps a copy per language', () => {
    const [association] = (cached[0]?.FunctionAssociations ?? []) as Array<{
      FunctionARN: { 'Fn::GetAtt': [string] };
    }>;
    if (!association) throw new Error('no function on the cached reads');
    const fn = edgeFunction(association);
    expect(fn.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    const config = loadUtilityConfig('seoul-water');
    const handler = new Function(`${fn.FunctionCode}; return handler;`)() as (event: unknown) => {
      headers: Record<string, { value: string }>;
      querystring: Record<string, { value: string }>;
    };
    const cases: Array<[string | undefined, string | undefined]> = [
      [undefined, undefined],
      [undefined, 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7'],
      [undefined, 'en-GB,en;q=0.9'],
      [undefined, 'fr-FR,fr;q=0.9,en;q=0.5,ko;q=0.8'],
      [undefined, 'de, ru;q=0.9'],
      [undefined, 'en;q=0, ko;q=0.1'],
      [undefined, 'EN-us'],
      [undefined, 'en;q=abc, ko'],
      ['en', 'ko-KR,ko;q=0.9'],
      ['ko', undefined],
      ['fr', 'en-US'],
      ['ru', undefined],
    ];
    for (const [lang, acceptLanguage] of cases) {
      const request = handler({
        request: {
          uri: '/utility',
          headers: acceptLanguage ? { 'accept-language': { value: acceptLanguage } } : {},
          querystring: lang ? { lang: { value: lang } } : {},
        },
      });
      const expected = requestLanguage(config, lang, acceptLanguage);
      expect(request.headers['accept-language']?.value, `${lang} ${acceptLanguage}`).toBe(expected);
      // The API reads ?lang first: what is left of it must lead to the same language.
      expect(
        requestLanguage(config, request.querystring.lang?.value, request.headers['accept-language']?.value),
      ).toBe(expected);
      if (lang && !config.languages.includes(lang)) expect(request.querystring.lang).toBeUndefined();
    }
    // A malformed ?lang stays for the API to refuse (400), as it would without the cache.
    const malformed = handler({
      request: { uri: '/utility', headers: {}, querystring: { lang: { value: 'KOR' } } },
    });
    expect(malformed.querystring.lang).toEqual({ value: 'KOR' });
  });

  // A deploy that changes the consent version must not leave the old one at the edge for five minutes, refused by
  // POST /subscriptions in the meantime; nor may the edge keep an answer of the functions' old code.
  it('are forgotten by CloudFront on a deploy that changes the config or their functions, once those are updated', () => {
    const [logicalId, resource] =
      resourcesOf('Custom::AWS').find(([id]) => id.startsWith('PortalForgetCachedReads')) ?? [];
    if (!resource) throw new Error('no invalidation of the cached reads');
    const call = sdkCall('PortalForgetCachedReads');
    expect(call).toMatchObject({ service: 'CloudFront', action: 'CreateInvalidation' });
    expect(call.parameters).toEqual({
      DistributionId: `<${distributionId}>`,
      InvalidationBatch: {
        CallerReference: expect.stringMatching(/^[0-9a-f]{32}$/),
        Paths: { Quantity: 2, Items: ['/utility*', '/announcements*'] },
      },
    });
    expect(JSON.parse(render(resources[logicalId ?? '']?.Properties.Update))).toEqual(call);
    const routeFunctions = ['GetUtility', 'ListPublicAnnouncements'].map((id) => {
      const fn = api.functions.get(id);
      if (!fn) throw new Error(`no function ${id}`);
      return api.getLogicalId(fn.function.node.defaultChild as CfnResource);
    });
    const dependsOn = (resource as unknown as { DependsOn?: string[] }).DependsOn ?? [];
    for (const id of routeFunctions) expect(dependsOn).toContain(id);
    // This deploy's config and its two functions' code make the reference; another of either, another invalidation.
    const codeKeys = routeFunctions.map((id) => {
      const code = resources[id]?.Properties.Code as { S3Key?: unknown };
      expect(code.S3Key, id).toMatch(/^[0-9a-f]{64}\.zip$/);
      return code.S3Key as string;
    });
    const seoulConfig = loadUtilityConfig('seoul-water');
    expect(call.parameters.InvalidationBatch.CallerReference).toBe(
      cachedReadsRevision(seoulConfig, codeKeys),
    );
    const newConsent = {
      ...seoulConfig,
      subscriptions: {
        ...seoulConfig.subscriptions,
        consent: { ...seoulConfig.subscriptions.consent, version: '2027-01' },
      },
    };
    expect(cachedReadsRevision(newConsent, codeKeys)).not.toBe(cachedReadsRevision(seoulConfig, codeKeys));
    expect(cachedReadsRevision(seoulConfig, [codeKeys[0] ?? '', 'f'.repeat(64)])).not.toBe(
      cachedReadsRevision(seoulConfig, codeKeys),
    );
  });

  it('fetches them from the API itself over HTTPS with TLS 1.2 only', () => {
    const targets = new Set(cached.map((behavior) => behavior.TargetOriginId));
    expect(targets.size).toBe(1);
    const origin = origins.find((o) => o.Id === [...targets][0]);
    expect(render(origin?.DomainName)).toBe(`<${apiId}>.execute-api.<AWS::Region>.<AWS::URLSuffix>`);
    expect(origin?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
  });

  // A language or a district changes the answer; a cookie, a token or any other parameter must not reach the API
  // from here, so one caller's request can never fill the cache with something another should not see.
  it('keys the cache on the language and the district only, kept at most five minutes', () => {
    const policy = only('AWS::CloudFront::CachePolicy').CachePolicyConfig as Record<string, unknown>;
    for (const behavior of cached) {
      expect(behavior.CachePolicyId).toEqual({ Ref: expect.stringMatching(/^PortalPublicReads/) });
    }
    expect(policy).toMatchObject({ MinTTL: 0, DefaultTTL: 60, MaxTTL: 300 });
    expect(policy.ParametersInCacheKeyAndForwardedToOrigin).toEqual({
      CookiesConfig: { CookieBehavior: 'none' },
      EnableAcceptEncodingBrotli: true,
      EnableAcceptEncodingGzip: true,
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Accept-Language'] },
      QueryStringsConfig: { QueryStringBehavior: 'whitelist', QueryStrings: ['lang', 'district'] },
    });
  });
});

describe('the response headers', () => {
  const config = only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as {
    SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    CustomHeadersConfig: { Items: Array<{ Header: string; Value: string; Override: boolean }> };
  };
  const security = config.SecurityHeadersConfig;

  it('carry the strict CSP naming exactly the API, the photo bucket and the staff sign-in, and upgrading HTTP', () => {
    const csp = render(security.ContentSecurityPolicy?.ContentSecurityPolicy);
    const directives = Object.fromEntries(
      csp.split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name, values];
      }),
    );
    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'blob:', photoOrigin],
      'font-src': ["'self'"],
      'connect-src': ["'self'", `<${apiId}.ApiEndpoint>`, photoOrigin, expect.stringMatching(signInOrigin)],
      'manifest-src': ["'self'"],
      'form-action': ["'self'", expect.stringMatching(signInOrigin)],
      'frame-ancestors': ["'none'"],
      'base-uri': ["'none'"],
      'object-src': ["'none'"],
      'upgrade-insecure-requests': [],
    });
    expect(security.ContentSecurityPolicy?.Override).toBe(true);
  });

  it('carry HSTS for two years with subdomains', () => {
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Override: true,
    });
  });

  it('carry every other header the local server sends (PORTAL_HEADERS), with the same values', () => {
    const sent: Record<string, string> = {
      'x-content-type-options': security.ContentTypeOptions ? 'nosniff' : '',
      'x-frame-options': String(security.FrameOptions?.FrameOption ?? ''),
      'referrer-policy': String(security.ReferrerPolicy?.ReferrerPolicy ?? ''),
      ...Object.fromEntries(config.CustomHeadersConfig.Items.map((item) => [item.Header, item.Value])),
    };
    expect(sent).toEqual(PORTAL_HEADERS);
  });
});

describe('the deployed files', () => {
  const assets = deployment('Assets');
  const pages = deployment('Pages');

  it('copy the hashed assets under assets/, cached for a year, never pruned (open pages may still load old ones)', () => {
    expect(assets.DestinationBucketKeyPrefix).toBe('assets/');
    expect(assets.SystemMetadata).toEqual({ 'cache-control': PORTAL_CACHE.assets });
    expect(assets.Prune).toBe(false);
    const files = stagedFiles(assets.SourceObjectKeys[0] ?? '');
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(file).toMatch(/^[^/]+-[A-Za-z0-9_-]{8}\.(js|css)$/);
  });

  it('copy both pages and config.json unhashed, checked on every visit, and have CloudFront forget its copies', () => {
    expect(pages.SystemMetadata).toEqual({ 'cache-control': PORTAL_CACHE.html });
    expect(pages.DistributionId).toEqual({ Ref: distributionId });
    expect(pages.DistributionPaths).toEqual(['/index.html', '/admin/index.html', '/config.json']);
    expect(pages.Prune).toBe(false);
    const [built, generated] = pages.SourceObjectKeys.map(stagedFiles);
    expect(built).toEqual(['admin/index.html', 'index.html']);
    expect(generated).toEqual(['config.json']);
  });

  it('are built by synth (cdk.json runs the portal build before the app)', () => {
    const cdkJson = JSON.parse(readFileSync(join(import.meta.dirname, '../../cdk.json'), 'utf8'));
    expect(cdkJson.build).toBe('npm run build:portal');
  });

  // The pages hard-code nothing: the API's address and the sign-in come from this file (portal/src/shared/api.ts).
  it('include a config.json naming the API without a trailing slash and the Cognito hosted sign-in', () => {
    const key = pages.SourceObjectKeys[1] ?? '';
    const folder = join(assemblyDir(), `asset.${key.replace(/\.zip$/, '')}`);
    let text = readFileSync(join(folder, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(pages.SourceMarkers?.[1] ?? {})) {
      text = text.replaceAll(marker, render(value));
    }
    const config = JSON.parse(text);
    expect(config).toEqual({
      apiBase: `<${apiId}.ApiEndpoint>`,
      cachedReads: ['/utility', '/announcements'],
      staffSignIn: {
        kind: 'cognito',
        domain: expect.stringMatching(signInOrigin),
        clientId: `<${clientId}>`,
        redirectUri: `${cloudFrontOrigin}/admin/`,
        scopes: ['openid', 'email'],
      },
    });
  });
});

describe('CORS', () => {
  const allowedOrigins = [cloudFrontOrigin];

  it("lets the API answer the portal's origin only, for the methods and headers the pages use, exposing Retry-After", () => {
    const call = sdkCall('PortalApiCors');
    expect(call).toMatchObject({ service: 'ApiGatewayV2', action: 'UpdateApi' });
    expect(call.parameters).toEqual({
      ApiId: `<${apiId}>`,
      Name: 'utilitydesk-seoul-water',
      Description: 'UtilityDesk seoul-water: citizen API',
      CorsConfiguration: {
        AllowOrigins: allowedOrigins,
        AllowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        AllowHeaders: ['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key'],
        ExposeHeaders: ['retry-after'],
        MaxAge: 600,
        AllowCredentials: false,
      },
    });
    expect(sdkCall('PortalApiCors', 'Update')).toEqual(call);
    // Set after the distribution exists: the API resource itself carries none (it would be a dependency cycle).
    expect(resources[apiId]?.Properties.CorsConfiguration).toBeUndefined();
  });

  it('lets browsers post the presigned photo form from the portal only, and removes the rule with the portal', () => {
    const call = sdkCall('PortalPhotoCors');
    expect(call.parameters.CORSConfiguration).toEqual({
      CORSRules: [{ AllowedMethods: ['POST'], AllowedOrigins: allowedOrigins, MaxAgeSeconds: 3600 }],
    });
    expect(call.parameters.Bucket).toBe('seoul-water-complaint-photos-<AWS::AccountId>-<AWS::Region>');
    expect(sdkCall('PortalPhotoCors', 'Delete')).toMatchObject({ action: 'DeleteBucketCors' });
  });

  it('is set by a function that may change only that API and that bucket', () => {
    const statements = resourcesOf('AWS::IAM::Policy')
      .filter(
        ([logicalId]) => logicalId.startsWith('PortalApiCors') || logicalId.startsWith('PortalPhotoCors'),
      )
      .flatMap(
        ([, policy]) =>
          (policy.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }).Statement,
      )
      .map((statement) => ({ action: statement.Action, resource: render(statement.Resource) }));
    expect(statements).toEqual(
      expect.arrayContaining([
        {
          action: 'apigateway:PATCH',
          resource: `arn:<AWS::Partition>:apigateway:<AWS::Region>::/apis/<${apiId}>`,
        },
        {
          action: 's3:PutBucketCORS',
          resource: 'arn:<AWS::Partition>:s3:::seoul-water-complaint-photos-<AWS::AccountId>-<AWS::Region>',
        },
      ]),
    );
    expect(statements).toHaveLength(2);
  });
});

describe("the staff console's sign-in", () => {
  const client = resources[clientId]?.Properties ?? {};

  it('is an OAuth client of the staff pool with the authorization code grant only, openid and email, no secret', () => {
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    });
    // Its id is in config.json for anyone to read: no password sign-in outside the hosted pages with it.
    expect(client.ExplicitAuthFlows).toEqual(['ALLOW_REFRESH_TOKEN_AUTH']);
    expect(render(client.UserPoolId)).toMatch(new RegExp(`^<${stackNames('seoul-water').data}:`));
  });

  it("returns to the console's address on the portal after sign-in and sign-out", () => {
    expect((client.CallbackURLs as unknown[]).map(render)).toEqual([`${cloudFrontOrigin}/admin/`]);
    expect((client.LogoutURLs as unknown[]).map(render)).toEqual([`${cloudFrontOrigin}/admin/`]);
  });

  // Cognito access tokens carry client_id instead of aud; API Gateway checks that against the same audience list.
  it("is the audience of the API's JWT authorizer, so the console's tokens open the /admin/ routes", () => {
    const authorizer = only('AWS::ApiGatewayV2::Authorizer');
    expect((authorizer.JwtConfiguration as { Audience: unknown }).Audience).toEqual([{ Ref: clientId }]);
  });

  it('has a Cognito prefix domain in the stateful stack, unique per account', () => {
    const domain = seoul.data.findResources('AWS::Cognito::UserPoolDomain');
    const [properties] = Object.values(domain).map((resource) => resource.Properties);
    expect(Object.keys(domain)).toHaveLength(1);
    expect(render(properties.Domain)).toBe('utilitydesk-seoul-water-<AWS::AccountId>');
  });
});

function withPortal(
  config: UtilityConfig,
  portalConfig: NonNullable<UtilityConfig['portal']>,
): UtilityConfig {
  return { ...config, portal: portalConfig };
}

describe('with a custom domain and sign-in prefix configured (portal block of the config)', () => {
  const certificateArn =
    'arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7';
  const custom = sharedSynth(
    withPortal(loadUtilityConfig('seoul-water'), {
      domain: { name: 'portal.arisu.example', certificateArn },
      signInDomainPrefix: 'arisu-staff',
    }),
  );
  const customApi = custom.deployment.api;
  const customResources = custom.template.toJSON().Resources as Record<
    string,
    { Properties: Record<string, unknown> }
  >;
  const customDistribution = Object.values(custom.template.findResources('AWS::CloudFront::Distribution'))[0]
    ?.Properties.DistributionConfig;
  const customCloudFront = `https://<${customApi.getLogicalId(customApi.portal.distribution.node.defaultChild as CfnResource)}.DomainName>`;

  it('serves the domain with its certificate, SNI only, TLS 1.2 (2021 ciphers) at least', () => {
    expect(customDistribution.Aliases).toEqual(['portal.arisu.example']);
    expect(customDistribution.ViewerCertificate).toEqual({
      AcmCertificateArn: certificateArn,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
  });

  it('allows both origins in CORS and the sign-in, and announces the custom one in config.json', () => {
    const cors = Object.entries(customResources).find(([id]) => id.startsWith('PortalApiCors'))?.[1];
    const call = JSON.parse(render(cors?.Properties.Create));
    expect(call.parameters.CorsConfiguration.AllowOrigins).toEqual([
      customCloudFront,
      'https://portal.arisu.example',
    ]);
    const client =
      customResources[
        customApi.getLogicalId(customApi.portal.consoleClient.node.defaultChild as CfnResource)
      ];
    expect(((client?.Properties.CallbackURLs ?? []) as unknown[]).map(render)).toEqual([
      `${customCloudFront}/admin/`,
      'https://portal.arisu.example/admin/',
    ]);
    expect(customApi.portal.origin).toBe('https://portal.arisu.example');
  });

  it('uses the configured sign-in prefix', () => {
    const [domain] = Object.values(custom.data.findResources('AWS::Cognito::UserPoolDomain'));
    expect(domain?.Properties.Domain).toBe('arisu-staff');
  });

  it('refuses a certificate outside us-east-1 and a prefix Cognito would refuse, at config load', async () => {
    const { utilityConfigSchema } = await import('#config/schema');
    const raw = JSON.parse(readFileSync(join(import.meta.dirname, '../../config/seoul-water.json'), 'utf8'));
    const bad = (portal: unknown) => utilityConfigSchema.safeParse({ ...raw, portal }).success;
    expect(bad({ domain: { name: 'portal.arisu.example', certificateArn } })).toBe(true);
    expect(
      bad({
        domain: {
          name: 'portal.arisu.example',
          certificateArn: certificateArn.replace('us-east-1', 'ap-northeast-2'),
        },
      }),
    ).toBe(false);
    expect(bad({ signInDomainPrefix: 'arisu-cognito' })).toBe(false);
    expect(bad({ signInDomainPrefix: 'Arisu' })).toBe(false);
  });
});

// CloudFormation refuses a template of more than 500 resources; the portal adds some twenty to the API stack.
describe.each(availableUtilities())('the API stack of %s', (utility) => {
  it('stays under 500 resources, even with its own billing system (the largest variant)', () => {
    for (const config of [loadUtilityConfig(utility), withExternalBilling(loadUtilityConfig(utility))]) {
      const count = Object.keys(sharedSynth(config).template.toJSON().Resources).length;
      expect(count).toBeLessThan(500);
    }
  });
});

it('names the portal and console addresses in the stack outputs', () => {
  const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
  expect(render(outputs.PortalUrl?.Value)).toBe(`${cloudFrontOrigin}/`);
  expect(render(outputs.StaffConsoleUrl?.Value)).toBe(`${cloudFrontOrigin}/admin/`);
  expect(Stack.of(api).resolve(outputs.StaffConsoleClientId?.Value)).toEqual({ Ref: clientId });
});
