// POST /admin/announcements/preview: each language's message, size and problems, before staff send it; nothing stored.
import { previewAnnouncement } from '#app/announcement-texts';
import { announcementRequestSchema } from '#domain/announcement';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/announcements/preview',
  auth: 'staff',
  body: announcementRequestSchema.pick({ kind: true, texts: true }),
  run: async ({ body }, deps) => ({ status: 200, body: previewAnnouncement(deps, body) }),
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
