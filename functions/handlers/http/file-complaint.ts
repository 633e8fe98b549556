// POST /complaints: a resident files a complaint; routed to its district office, tracked by the code it answers.
import { fileComplaint } from '#app/complaints';
import { complaintInputSchema } from '#domain/complaint';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/complaints',
  auth: 'none',
  body: complaintInputSchema,
  run: async ({ body, client }, deps) => {
    const { complaint, possibleDuplicates } = await fileComplaint(deps, body, { client, channel: 'api' });
    return {
      status: 201,
      headers: { location: `/complaints/${complaint.trackingCode}` },
      body: {
        // The id is the reporter's alone (photos are added with it); the tracking code is for sharing.
        id: complaint.id,
        trackingCode: complaint.trackingCode,
        status: complaint.status,
        expectedBy: complaint.dueAt,
        possibleDuplicates,
      },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
