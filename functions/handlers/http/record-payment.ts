// POST /admin/payments: staff enter a payment (a counter or a bank slip); the Idempotency-Key is its reference.
import { enterPayment } from '#app/payments';
import { ValidationError } from '#domain/errors';
import { PAYMENT_REFERENCE_PATTERN, paymentInputSchema } from '#domain/payment';
import { lambdaDeps } from '../lambda-deps.ts';
import { defineRoute, lambdaHttpHandler } from './http-handler.ts';

export const route = defineRoute({
  method: 'POST',
  path: '/admin/payments',
  auth: 'staff',
  body: paymentInputSchema.omit({ reference: true }),
  run: async ({ body, staff, header }, deps) => {
    const reference = header('idempotency-key');
    if (reference === undefined || !PAYMENT_REFERENCE_PATTERN.test(reference)) {
      throw new ValidationError(
        "The Idempotency-Key header is the payment's reference: 1 to 100 visible ASCII characters.",
        [{ field: 'header.idempotency-key', message: '1 to 100 visible ASCII characters (no spaces)' }],
      );
    }
    const answer = await enterPayment(deps, staff, { ...body, reference });
    return { status: answer.result === 'recorded' ? 201 : 200, body: answer };
  },
});

export const handler = lambdaHttpHandler(route, lambdaDeps);
