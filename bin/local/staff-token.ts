// The local stand-in for the staff user pool and API Gateway's JWT authorizer: it issues staff tokens, checks them alike.
import { randomUUID } from 'node:crypto';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import {
  createLocalJWKSet,
  errors,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';
import { z } from 'zod';
import type { Clock } from '#app/ports';
import type { UtilityConfig } from '#config/schema';
import { DISTRICT_GROUP_PREFIX, STAFF_ROLES } from '#domain/staff';
import { problemResponse } from '#handlers/http/problem';
import { readLocalJson } from './local-json.ts';

/** The local staff console's app client id: the audience (`client_id`) every local staff token carries. */
export const LOCAL_STAFF_CLIENT_ID = 'local-staff-console';
/** Where the local console asks for a staff token (the stand-in for the user pool's sign-in). */
export const LOCAL_STAFF_TOKEN_PATH = '/_local/staff-token';
/** Where the issuer lives under the local server, as a user pool's `iss` is its URL; its keys are below it. */
export const LOCAL_STAFF_ISSUER_PATH = '/_local/staff-issuer';
export const LOCAL_STAFF_JWKS_PATH = `${LOCAL_STAFF_ISSUER_PATH}/.well-known/jwks.json`;
/** As the deployed console client's access tokens (lib/staff-user-pool.ts). */
const TOKEN_SECONDS = 60 * 60;
/** RSA, as API Gateway's JWT authorizer accepts only RSA signatures. */
const ALGORITHM = 'RS256';

export interface LocalStaffIssuerOptions {
  config: UtilityConfig;
  clock: Clock;
  /** The issuer URL (`iss`); a function, as the server's port is known only once it listens. */
  issuer: () => string;
}

export type StaffAuthorization =
  | { ok: true; event: APIGatewayProxyEventV2WithJWTAuthorizer }
  | { ok: false; response: APIGatewayProxyStructuredResultV2 };

export interface LocalStaffIssuer {
  /** POST /_local/staff-token: `{"role", "districts"?, "subject"?}` -> `{"token"}`, or a 400 problem. */
  answer(body: Buffer): Promise<APIGatewayProxyStructuredResultV2>;
  /** Signs any claims with the issuer's key and header (tests: tokens a user pool could hold, or not). */
  sign(claims: JWTPayload): Promise<string>;
  /** The public keys, as a user pool publishes them at `<iss>/.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
  /**
   * What the JWT authorizer does before an /admin/ route runs: the token from the Authorization header (with or
   * without "Bearer"), its signature against the keys, issuer, audience, expiry and times; then the event with
   * the claims where API Gateway puts them, or the 401 it answers.
   */
  authorize(event: APIGatewayProxyEventV2): Promise<StaffAuthorization>;
}

/**
 * How API Gateway HTTP API hands a verified token's claims to the function: every value a string, a list as
 * its items in brackets separated by spaces (`cognito:groups` ["admin","staff"] arrives as "[admin staff]").
 * Mirrored here so a route meets locally the same shape it meets in AWS.
 */
export function asAuthorizerClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? `[${value.map(String).join(' ')}]`
          : typeof value === 'object' && value !== null
            ? JSON.stringify(value)
            : String(value),
    ]),
  );
}

function unauthorized(type: string, detail: string, instance: string): StaffAuthorization {
  return {
    ok: false,
    response: problemResponse(401, type, detail, {
      instance,
      headers: { 'www-authenticate': 'Bearer' },
    }),
  };
}

function tokenRequestSchema(config: UtilityConfig) {
  const codes = config.districts.map((district) => district.code);
  return z.strictObject({
    role: z.enum(STAFF_ROLES),
    /** District codes of the config: each becomes a `district:<code>` group. */
    districts: z
      .array(
        z
          .string()
          .refine((code) => codes.includes(code), `not a district of ${config.id} (${codes.join(', ')})`),
      )
      .max(codes.length)
      .default([]),
    /** The `sub` to name (a stable one lets a console test follow one person); a fresh UUID otherwise. */
    subject: z.string().trim().min(1).max(128).optional(),
  });
}

export async function createLocalStaffIssuer(options: LocalStaffIssuerOptions): Promise<LocalStaffIssuer> {
  const { config, clock } = options;
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048 });
  const kid = randomUUID();
  const publicJwks: JSONWebKeySet = {
    keys: [{ ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' }],
  };
  const keySet = createLocalJWKSet(publicJwks);
  const requestSchema = tokenRequestSchema(config);
  const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

  const sign = (claims: JWTPayload) =>
    new SignJWT(claims).setProtectedHeader({ alg: ALGORITHM, kid }).sign(privateKey);

  return {
    sign,
    jwks: () => publicJwks,

    async answer(body) {
      const read = readLocalJson(
        body,
        requestSchema,
        `A staff token needs a role (${STAFF_ROLES.join(' or ')}) and, optionally, districts of ${config.id}.`,
      );
      if (!read.ok) return read.response;
      const { role, districts, subject } = read.value;
      const now = nowSeconds();
      const sub = subject ?? randomUUID();
      // The claims of a Cognito user pool access token for a user in these groups.
      const token = await sign({
        sub,
        'cognito:groups': [role, ...[...new Set(districts)].map((code) => `${DISTRICT_GROUP_PREFIX}${code}`)],
        iss: options.issuer(),
        client_id: LOCAL_STAFF_CLIENT_ID,
        origin_jti: randomUUID(),
        event_id: randomUUID(),
        token_use: 'access',
        scope: 'aws.cognito.signin.user.admin',
        auth_time: now,
        iat: now,
        exp: now + TOKEN_SECONDS,
        jti: randomUUID(),
        username: sub,
      });
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        body: JSON.stringify({ token, tokenType: 'Bearer', expiresIn: TOKEN_SECONDS }),
      };
    },

    async authorize(event) {
      const instance = event.rawPath;
      const header = Object.entries(event.headers ?? {}).find(
        ([name]) => name.toLowerCase() === 'authorization',
      )?.[1];
      const token = header?.trim().replace(/^Bearer(\s+|$)/i, '');
      if (!token) {
        return unauthorized(
          'staff-token-required',
          'This route needs a staff access token: Authorization: Bearer <token from POST /_local/staff-token>.',
          instance,
        );
      }
      let payload: JWTPayload;
      try {
        const verified = await jwtVerify(token, keySet, {
          issuer: options.issuer(),
          algorithms: [ALGORITHM],
          requiredClaims: ['exp'],
          currentDate: clock.now(),
        });
        if (verified.protectedHeader.kid !== kid) throw new errors.JWSInvalid('no kid of the issuer');
        payload = verified.payload;
      } catch (error) {
        if (error instanceof errors.JWTExpired) {
          return unauthorized(
            'staff-token-expired',
            'The staff token has expired: ask for a new one.',
            instance,
          );
        }
        return unauthorized(
          'staff-token-invalid',
          'The staff token is not one this issuer signed for this console (signature, issuer or form).',
          instance,
        );
      }
      const audiences = [payload.aud ?? [], payload.client_id ?? []].flat();
      if (!audiences.includes(LOCAL_STAFF_CLIENT_ID)) {
        return unauthorized(
          'staff-token-invalid',
          'The staff token was issued for another client.',
          instance,
        );
      }
      if (payload.iat !== undefined && payload.iat > nowSeconds()) {
        return unauthorized('staff-token-invalid', 'The staff token is issued in the future.', instance);
      }
      return {
        ok: true,
        event: {
          ...event,
          requestContext: {
            ...event.requestContext,
            authorizer: { jwt: { claims: asAuthorizerClaims(payload), scopes: null } },
          },
        },
      };
    },
  };
}
