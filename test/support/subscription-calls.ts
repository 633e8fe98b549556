// The subscription routes as tests call them: the real route through an API Gateway event, with a world's deps.
import type { Deps } from '#app/ports';
import { route as addPhoneRoute } from '#handlers/http/add-household-phone';
import { route as listRoute } from '#handlers/http/list-account-subscriptions';
import { route as verifyRoute } from '#handlers/http/verify-subscription';
import { call } from './http.ts';

/** POST /subscriptions/{id}/verify with a code. */
export const verifyCall = (deps: Deps, id: string, code: string) =>
  call(verifyRoute, deps, {
    method: 'POST',
    path: `/subscriptions/${id}/verify`,
    routePath: '/subscriptions/{id}/verify',
    pathParameters: { id },
    body: { code },
  });

/** POST /accounts/{n}/subscriptions: the holder, with the account token, adds a phone (a household member's). */
export const addPhoneCall = (
  deps: Deps,
  accountNumber: string,
  token: string,
  phone: string,
  over: Record<string, unknown> = {},
) =>
  call(addPhoneRoute, deps, {
    method: 'POST',
    path: `/accounts/${accountNumber}/subscriptions`,
    routePath: '/accounts/{accountNumber}/subscriptions',
    pathParameters: { accountNumber },
    headers: { authorization: `Bearer ${token}` },
    body: { phone, channel: 'sms', language: 'ko', consentVersion: '2026-11', ...over },
  });

/** GET /accounts/{n}/subscriptions, a page, with the account token. */
export const listCall = (
  deps: Deps,
  accountNumber: string,
  token: string,
  query: Record<string, string> = {},
) =>
  call(listRoute, deps, {
    method: 'GET',
    path: `/accounts/${accountNumber}/subscriptions`,
    routePath: '/accounts/{accountNumber}/subscriptions',
    pathParameters: { accountNumber },
    query,
    headers: { authorization: `Bearer ${token}` },
  });
