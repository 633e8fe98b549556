// Every HTTP route, with the file its Lambda function is built from: read by the CDK stack and the local server.
import { route as authOtp } from './auth-otp.ts';
import { route as authToken } from './auth-token.ts';
import { route as getBill } from './get-bill.ts';
import type { HttpRoute } from './http-handler.ts';
import { route as listBills } from './list-bills.ts';
import { route as notFound } from './not-found.ts';

export interface RouteEntry {
  /** Construct id of the route's function. */
  id: string;
  /** Entry file, relative to the repository root. */
  entry: string;
  route: HttpRoute;
}

export const httpRoutes: RouteEntry[] = [
  { id: 'AuthOtp', entry: 'functions/handlers/http/auth-otp.ts', route: authOtp },
  { id: 'AuthToken', entry: 'functions/handlers/http/auth-token.ts', route: authToken },
  { id: 'ListBills', entry: 'functions/handlers/http/list-bills.ts', route: listBills },
  { id: 'GetBill', entry: 'functions/handlers/http/get-bill.ts', route: getBill },
];

/** Answers every request no route matches ($default in API Gateway). */
export const notFoundRoute: RouteEntry = {
  id: 'NotFound',
  entry: 'functions/handlers/http/not-found.ts',
  route: notFound,
};
