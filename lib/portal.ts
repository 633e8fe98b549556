// The web portal in AWS: portal/dist in a private bucket behind CloudFront, its config.json, the staff console's
// OAuth client, and the API's and the photo bucket's CORS narrowed to the portal's origin.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  Aws,
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { CfnApi, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  type CfnUserPoolClient,
  type IUserPool,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction, IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { primaryLanguage, type UtilityConfig } from '#config/schema';
import { photoBucketName } from './complaint-photos.ts';
import { contentSecurityPolicy, PORTAL_CACHE, PORTAL_DIST, PORTAL_HEADERS } from './portal-headers.ts';
import { STAFF_TOKEN_VALIDITY } from './staff-user-pool.ts';

/** The methods the portal and the console use; a preflight for any other is refused. */
const CORS_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
/** The request headers the pages send (api.ts): the bearer token, JSON bodies, the language, idempotent retries. */
const CORS_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'idempotency-key'];
/** Browsers cache a preflight this long (seconds); ten minutes is Chromium's own ceiling. */
const CORS_MAX_AGE = 600;
/** The presigned photo form's preflight lives as long as the bucket's rule said before (seconds). */
const PHOTO_CORS_MAX_AGE = 3600;
/** CloudFront's and the bucket's access logs: a year, as the other access logs. */
const KEEP_ACCESS_LOGS = Duration.days(400);
/** HSTS: two years, the preload list's expectation. */
const HSTS_MAX_AGE = Duration.days(730);

/**
 * The public reads every page load makes, answered through the portal's own origin from CloudFront's cache: an outage
 * sends thousands of residents to the portal at once, and each would otherwise be a Lambda call that the stage's
 * throttling (50 per second) turns into 429s. Both answer the same to everyone for a language (and a district).
 */
export const EDGE_CACHED_READS = ['/utility', '/announcements'] as const;
/** What makes their answers differ: all of it is in the cache key, and nothing else reaches the API. */
const EDGE_CACHE_QUERY = ['lang', 'district'];
/** CloudFront keeps an answer as long as the API's Cache-Control says (60 s or 300 s), at most five minutes. */
const EDGE_CACHE_DEFAULT = Duration.seconds(60);
const EDGE_CACHE_MAX = Duration.minutes(5);

/**
 * What the cached reads answer depends on: the utility's config and the code of the functions behind them (their
 * assets' keys). A new value is a new invalidation; the same one is CloudFront's answer to a retried call.
 */
export function cachedReadsRevision(config: UtilityConfig, codeKeys: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify({ config, codeKeys })).digest('hex').slice(0, 32);
}

/**
 * Viewer-request rewrite of a cached read's language, so the cache keeps one copy per language the utility writes in
 * rather than one per browser's Accept-Language string: the header becomes the one language the API would answer in
 * (the same choice as requestLanguage in functions/app/request-language.ts: ?lang when it is one of them, else the
 * header's tags by q-value, else the primary language), and a well-formed ?lang the utility does not write in, which
 * the API ignores, is dropped. CloudFront Functions run a restricted ES 5.1 (cloudfront-js-2.0).
 */
export function publicReadLanguageCode(languages: readonly string[], primary: string): string {
  return `var LANGUAGES = ${JSON.stringify(languages)};
var PRIMARY = ${JSON.stringify(primary)};
function chosenFrom(header) {
  var ranked = [];
  var parts = header.split(',');
  for (var i = 0; i < parts.length; i++) {
    var pieces = parts[i].split(';');
    var tag = pieces[0].trim();
    var q = 1;
    for (var j = 1; j < pieces.length; j++) {
      var param = pieces[j].trim();
      if (param.indexOf('q=') === 0) { q = Number(param.slice(2)); break; }
    }
    if (tag && isFinite(q) && q > 0) ranked.push({ tag: tag, q: q, index: i });
  }
  ranked.sort(function (a, b) { return b.q - a.q || a.index - b.index; });
  for (var k = 0; k < ranked.length; k++) {
    var code = ranked[k].tag.slice(0, 2).toLowerCase();
    if (LANGUAGES.indexOf(code) !== -1) return code;
  }
  return PRIMARY;
}
function handler(event) {
  var request = event.request;
  var lang = request.querystring.lang;
  var asked = lang && !lang.multiValue ? lang.value : undefined;
  if (asked !== undefined && /^[a-z]{2}$/.test(asked) && LANGUAGES.indexOf(asked) === -1) {
    delete request.querystring.lang;
    asked = undefined;
  }
  var header = request.headers['accept-language'];
  var chosen = asked !== undefined && LANGUAGES.indexOf(asked) !== -1 ? asked : chosenFrom(header ? header.value : '');
  request.headers['accept-language'] = { value: chosen };
  return request;
}`;
}

/**
 * Viewer-request rewrite for deep links: a path without a file extension is a page of one of the two apps, so it
 * gets that app's index.html instead of S3's 403 for a missing key. Hash routes never reach CloudFront; this only
 * covers a typed or shared /admin/queue or /bills. CloudFront Functions run a restricted ES 5.1 (cloudfront-js-2.0).
 */
const SPA_FALLBACK = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  var last = uri.substring(uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) {
    request.uri = uri === '/admin' || uri.indexOf('/admin/') === 0 ? '/admin/index.html' : '/index.html';
  }
  return request;
}`;

export interface PortalProps {
  config: UtilityConfig;
  api: HttpApi;
  /** The staff user pool (the data stack holds it, with its sign-in domain). */
  staffUserPool: IUserPool;
  /** https://<prefix>.auth.<region>.amazoncognito.com, the staff sign-in's origin. */
  signInOrigin: string;
  /** The built portal; portal/dist unless a test passes another folder. */
  assets?: string;
}

/**
 * The static portal and console: a private bucket that only the distribution reads (origin access control), served
 * over HTTPS with the security headers the local server sends (lib/portal-headers.ts), and the config.json the pages
 * read at start. The staff console signs in with Cognito's hosted pages (authorization code with PKCE).
 */
export class Portal extends Construct {
  readonly distribution: Distribution;
  readonly bucket: Bucket;
  /** The staff console's app client: the audience of the API's JWT authorizer. */
  readonly consoleClient: UserPoolClient;
  /** https://<portal host>: the CloudFront domain, then the configured custom domain, if any. */
  readonly origins: string[];
  /** The origin the pages are announced at (the custom domain when there is one). */
  readonly origin: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const { config, api } = props;
    const stack = Stack.of(this);
    const domain = config.portal?.domain;

    // CloudFront's standard logs still need ACLs, so this bucket is the one bucket that keeps them enabled.
    const logs = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: KEEP_ACCESS_LOGS }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(logs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        "The portal's access log destination (CloudFront's and the site bucket's): logging it would loop.",
    });

    // Everything in it is rebuilt by every deploy, but a deploy must not fail on a non-empty bucket: kept.
    this.bucket = new Bucket(this, 'Site', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'site/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const signInOrigin = props.signInOrigin;
    const photosOrigin = `https://${photoBucketName(config.id)}.s3.${Aws.REGION}.amazonaws.com`;
    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `UtilityDesk ${config.id} portal: strict CSP, HSTS and the other security headers`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: contentSecurityPolicy(
            { api: api.apiEndpoint, photos: photosOrigin, signIn: signInOrigin },
            { upgradeInsecure: true },
          ),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: HSTS_MAX_AGE,
          includeSubdomains: true,
          override: true,
        },
        ...securityHeaders(),
      },
      customHeadersBehavior: {
        customHeaders: Object.entries(PORTAL_HEADERS)
          .filter(([name]) => !SECURITY_HEADER_NAMES.has(name))
          .map(([header, value]) => ({ header, value, override: true })),
      },
    });

    const spaFallback = new EdgeFunction(this, 'SpaFallback', {
      comment: 'Deep links without a file extension get their app (index.html or admin/index.html)',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(SPA_FALLBACK),
    });

    const origin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const behavior = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      responseHeadersPolicy: headers,
      compress: true,
    };
    this.distribution = new Distribution(this, 'Distribution', {
      comment: `UtilityDesk ${config.id} portal and staff console`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        ...behavior,
        functionAssociations: [{ function: spaFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: {
        // Hashed file names: a new build never reuses a name, so nothing there needs a rewrite.
        '/assets/*': behavior,
        ...this.cachedReadBehaviors(config, api, headers),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [domain.name],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    if (!domain) {
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          "No custom domain is configured, so CloudFront's default *.cloudfront.net certificate serves the portal; its TLS minimum cannot be raised. Configure portal.domain to get TLSv1.2_2021.",
      });
    }
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'Residents travel and file complaints from abroad; the API behind the pages has its own limits, so no country is blocked.',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'Static files only, no WAF elsewhere in the deployment: the API has stage throttling and per-phone and per-client limits.',
    });

    const cloudFrontOrigin = `https://${this.distribution.distributionDomainName}`;
    this.origins = [cloudFrontOrigin, ...(domain ? [`https://${domain.name}`] : [])];
    this.origin = domain ? `https://${domain.name}` : cloudFrontOrigin;
    const consoleUrls = this.origins.map((o) => `${o}/admin/`);

    // A browser app: no secret; the hosted pages hand back an authorization code the console redeems with PKCE.
    this.consoleClient = new UserPoolClient(this, 'StaffConsoleClient', {
      userPool: props.staffUserPool,
      userPoolClientName: 'staff-console',
      generateSecret: false,
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL],
        callbackUrls: consoleUrls,
        logoutUrls: consoleUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: STAFF_TOKEN_VALIDITY,
      idTokenValidity: STAFF_TOKEN_VALIDITY,
      refreshTokenValidity: Duration.hours(12),
    });
    // Its id is public (config.json): only the hosted pages may sign in with it, never InitiateAuth called directly
    // with a password. Leaving authFlows out would not do: Cognito's default then allows SRP and custom auth again.
    (this.consoleClient.node.defaultChild as CfnUserPoolClient).addPropertyOverride('ExplicitAuthFlows', [
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);

    // Hashed assets first and kept (pages still open may load old chunks); then the pages and config.json, which
    // name them, and CloudFront forgets its copies of those three.
    const assets = props.assets ?? PORTAL_DIST;
    const memoryLimit = 512;
    const assetFiles = new BucketDeployment(this, 'Assets', {
      sources: [Source.asset(join(assets, 'assets'))],
      destinationBucket: this.bucket,
      destinationKeyPrefix: 'assets/',
      cacheControl: [CacheControl.fromString(PORTAL_CACHE.assets)],
      prune: false,
      memoryLimit,
    });
    const pages = new BucketDeployment(this, 'Pages', {
      sources: [
        Source.asset(assets, { exclude: ['assets', 'assets/**'] }),
        Source.jsonData('config.json', {
          apiBase: api.apiEndpoint,
          cachedReads: EDGE_CACHED_READS,
          staffSignIn: {
            kind: 'cognito',
            domain: signInOrigin,
            clientId: this.consoleClient.userPoolClientId,
            redirectUri: `${this.origin}/admin/`,
            scopes: ['openid', 'email'],
          },
        }),
      ],
      destinationBucket: this.bucket,
      cacheControl: [CacheControl.fromString(PORTAL_CACHE.html)],
      prune: false,
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/admin/index.html', '/config.json'],
      memoryLimit,
    });
    pages.node.addDependency(assetFiles);

    // The distribution's domain exists only once it is made, and the CSP it serves names the API: the API's CORS
    // therefore cannot be a property of the API (a cycle), and is set on it by one call after both exist.
    this.allowApiOrigins(api);
    this.allowPhotoOrigins(config);
    acknowledgeDeploymentHandlers(stack, this.bucket);

    new CfnOutput(stack, 'PortalUrl', { value: `${this.origin}/`, description: 'The citizen portal' });
    new CfnOutput(stack, 'StaffConsoleUrl', {
      value: `${this.origin}/admin/`,
      description: 'The staff console',
    });
    new CfnOutput(stack, 'StaffConsoleClientId', {
      value: this.consoleClient.userPoolClientId,
      description: "The staff console's app client (no secret): its tokens open the /admin/ routes",
    });
  }

  /** GET and HEAD of EDGE_CACHED_READS go to the API over TLS 1.2, cached by language and district. */
  private cachedReadBehaviors(config: UtilityConfig, api: HttpApi, headers: ResponseHeadersPolicy) {
    const language = new EdgeFunction(this, 'PublicReadLanguage', {
      comment:
        'Cached public reads: Accept-Language becomes the one utility language the API would answer in',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(publicReadLanguageCode(config.languages, primaryLanguage(config))),
    });
    const policy = new CachePolicy(this, 'PublicReads', {
      comment: 'Public reads of the portal: one answer per language and district, as long as the API allows',
      minTtl: Duration.seconds(0),
      defaultTtl: EDGE_CACHE_DEFAULT,
      maxTtl: EDGE_CACHE_MAX,
      queryStringBehavior: CacheQueryStringBehavior.allowList(...EDGE_CACHE_QUERY),
      // The pages send the language they show; other callers' Accept-Language must not get another's answer.
      headerBehavior: CacheHeaderBehavior.allowList('Accept-Language'),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });
    const origin = new HttpOrigin(`${api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const behavior = {
      origin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: policy,
      responseHeadersPolicy: headers,
      compress: true,
      functionAssociations: [{ function: language, eventType: FunctionEventType.VIEWER_REQUEST }],
    };
    return Object.fromEntries(EDGE_CACHED_READS.map((path) => [path, behavior]));
  }

  /**
   * After a deploy that changes what the cached reads answer (the utility's config, or the code of the functions
   * behind them), CloudFront forgets its copies once those functions are updated, instead of serving the old
   * profile (an old consent version, say) for up to five minutes. Called by the API stack once the routes exist.
   */
  forgetCachedReadsAfter(config: UtilityConfig, functions: readonly IFunction[]): void {
    const stack = Stack.of(this);
    const codeKeys = functions.map((fn) => {
      const code = stack.resolve((fn.node.defaultChild as CfnFunction).code) as { s3Key?: unknown };
      if (typeof code.s3Key !== 'string')
        throw new Error(`${fn.node.path}: no asset key to follow its code by`);
      return code.s3Key;
    });
    const reference = cachedReadsRevision(config, codeKeys);
    const paths = EDGE_CACHED_READS.map((path) => `${path}*`);
    const call = {
      service: 'CloudFront',
      action: 'CreateInvalidation',
      parameters: {
        DistributionId: this.distribution.distributionId,
        InvalidationBatch: { CallerReference: reference, Paths: { Quantity: paths.length, Items: paths } },
      },
      physicalResourceId: PhysicalResourceId.of(`cached-reads-${reference}`),
    };
    const forget = new AwsCustomResource(this, 'ForgetCachedReads', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['cloudfront:CreateInvalidation'],
          resources: [
            stack.formatArn({
              service: 'cloudfront',
              region: '',
              resource: 'distribution',
              resourceName: this.distribution.distributionId,
            }),
          ],
        }),
      ]),
      installLatestAwsSdk: false,
    });
    for (const fn of functions) forget.node.addDependency(fn);
  }

  private allowApiOrigins(api: HttpApi): void {
    // The API's own name and description ride along: should CloudFormation ever rewrite the API (a change to
    // either), this call changes too and sets the CORS again after it.
    const cfnApi = api.node.defaultChild as CfnApi;
    const call = {
      service: 'ApiGatewayV2',
      action: 'UpdateApi',
      parameters: {
        ApiId: api.apiId,
        Name: cfnApi.name,
        Description: cfnApi.description,
        CorsConfiguration: {
          AllowOrigins: this.origins,
          AllowMethods: CORS_METHODS,
          AllowHeaders: CORS_HEADERS,
          ExposeHeaders: ['retry-after'],
          MaxAge: CORS_MAX_AGE,
          AllowCredentials: false,
        },
      },
      physicalResourceId: PhysicalResourceId.of(`${api.node.path}/cors`),
    };
    const apiArn = Stack.of(this).formatArn({
      service: 'apigateway',
      account: '',
      resource: '/apis',
      resourceName: api.apiId,
    });
    new AwsCustomResource(this, 'ApiCors', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['apigateway:PATCH'], resources: [apiArn] }),
      ]),
      installLatestAwsSdk: false,
    });
  }

  private allowPhotoOrigins(config: UtilityConfig): void {
    const bucket = photoBucketName(config.id);
    const call = {
      service: 'S3',
      action: 'PutBucketCors',
      parameters: {
        Bucket: bucket,
        CORSConfiguration: {
          CORSRules: [
            { AllowedMethods: ['POST'], AllowedOrigins: this.origins, MaxAgeSeconds: PHOTO_CORS_MAX_AGE },
          ],
        },
      },
      physicalResourceId: PhysicalResourceId.of(`${bucket}/cors`),
    };
    new AwsCustomResource(this, 'PhotoCors', {
      onCreate: call,
      onUpdate: call,
      onDelete: { service: 'S3', action: 'DeleteBucketCors', parameters: { Bucket: bucket } },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({
          actions: ['s3:PutBucketCORS'],
          resources: [Stack.of(this).formatArn({ service: 's3', region: '', account: '', resource: bucket })],
        }),
      ]),
      installLatestAwsSdk: false,
    });
  }
}

/** PORTAL_HEADERS that CloudFront sets as security headers rather than custom ones (it refuses them as custom). */
const SECURITY_HEADER_NAMES = new Set(['x-content-type-options', 'x-frame-options', 'referrer-policy']);

/** The security-header part of PORTAL_HEADERS in CloudFront's terms; a value it cannot express fails the synth. */
function securityHeaders() {
  const expect = (name: keyof typeof PORTAL_HEADERS, value: string) => {
    if (PORTAL_HEADERS[name] !== value)
      throw new Error(
        `lib/portal.ts maps ${name}: ${value}, but PORTAL_HEADERS says ${PORTAL_HEADERS[name]}`,
      );
  };
  expect('x-content-type-options', 'nosniff');
  expect('x-frame-options', 'DENY');
  expect('referrer-policy', 'strict-origin-when-cross-origin');
  return {
    contentTypeOptions: { override: true },
    frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
    referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN, override: true },
  };
}

/**
 * CDK's one deployment function per stack (and one for the SDK calls) runs only while deploying: it copies the built
 * portal from CDK's asset bucket into the site bucket and invalidates CloudFront. Its grants are CDK's, not ours.
 */
function acknowledgeDeploymentHandlers(stack: Stack, site: Bucket): void {
  const siteObjects = `<${stack.getLogicalId(site.node.defaultChild as CfnBucket)}.Arn>/*`;
  const assetObjects = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
  const basicRole =
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';
  for (const child of stack.node.children) {
    if (child.node.id.startsWith('AWS679f53fac002430cb0da5b7982bd2287')) {
      Validations.of(child).acknowledge({
        id: basicRole,
        reason:
          "CDK's SDK-call function: runs only while deploying, to set the API's and the photo bucket's CORS and to invalidate the cached public reads, with the basic execution role (logs) plus those three calls.",
      });
    }
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    const why = (what: string) =>
      `CDK's BucketDeployment function, only while deploying: ${what}. The grants are CDK's own for the copy.`;
    Validations.of(child).acknowledge(
      { id: basicRole, reason: why('logs through the basic execution role') },
      { id: 'AwsSolutions-L1', reason: why('its runtime is pinned by CDK to the AWS CLI layer it bundles') },
      ...['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'].map((action) => ({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: why('reads the asset and writes the site bucket (CDK grants read/write by action groups)'),
      })),
      {
        id: `AwsSolutions-IAM5[Resource::${assetObjects}]`,
        reason: why("reads the built portal's zip from CDK's asset bucket"),
      },
      {
        id: `AwsSolutions-IAM5[Resource::${siteObjects}]`,
        reason: why('writes the files into the site bucket'),
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: why(
          'invalidates the pages on the distribution (cloudfront:CreateInvalidation takes no resource)',
        ),
      },
    );
  }
}
