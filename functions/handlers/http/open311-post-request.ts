// POST /open311/v2/requests.{json|xml}: a partner files a complaint, form-encoded, with its api_key.
import { z } from 'zod';
import { postRequest } from '#app/open311';
import { requestLanguage } from '#app/request-language';
import { ValidationError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';
import { answerOpen311, unknownResource } from './open311-answer.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/open311/v2/{file}',
  auth: 'none',
  rawBody: true,
  params: z.object({ file: z.string() }),
  query: z.record(z.string(), z.string()),
  run: async ({ params, query, rawBody, header, client }, deps) =>
    answerOpen311(params.file, async (name) => {
      if (name !== 'requests') return unknownResource(name);
      const contentType = header('content-type');
      if (contentType && !/^application\/x-www-form-urlencoded\b/i.test(contentType.trim())) {
        throw new ValidationError('Send the request as application/x-www-form-urlencoded, as the spec says.');
      }
      const form = new URLSearchParams((rawBody ?? Buffer.alloc(0)).toString('utf8'));
      const language = requestLanguage(deps.config, query.lang, header('accept-language'));
      const items = await postRequest(deps, form, client, language);
      return { document: { kind: 'service_requests', items }, status: 201 };
    }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
