// POST /admin/announcements: staff send an announcement to the subscribers of some districts, now or at a set time.
import { createAnnouncement } from '#app/announcements';
import { announcementRequestSchema } from '#domain/announcement';
import { ValidationError } from '#domain/errors';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{8,128}$/;

export const route = defineRoute({
  method: 'POST',
  path: '/admin/announcements',
  auth: 'staff',
  body: announcementRequestSchema,
  run: async ({ body, staff, header }, deps) => {
    const key = header('idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new ValidationError('The Idempotency-Key header is 8 to 128 visible ASCII characters.', [
        { field: 'header.idempotency-key', message: '8 to 128 visible ASCII characters' },
      ]);
    }
    const { announcement, created } = await createAnnouncement(deps, staff, body, key);
    return {
      status: created ? 201 : 200,
      body: announcement,
      headers: { location: `/admin/announcements/${announcement.id}` },
    };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
