// Payments entry: a counter payment or a bank slip on an account's bill, recorded once per reference, with the
// API's refusals shown at the fields they concern.
import { useState } from 'preact/hooks';
import { useFocusHeading } from '../shared/router.ts';
import { ErrorMessage, SelectField, StatusMessage, TextField } from '../shared/ui.tsx';
import { wallTime, zonedInstant } from '../shared/zoned-time.ts';
import { errorFor, fieldProblems, focusFirstInvalid, label, type PageProps, problemMessage } from './desk.ts';

const METHODS = ['giro', 'virtual-account', 'card', 'cash', 'auto-pay'] as const;
const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Which field a refusal of the whole payment is about. */
const CODE_FIELDS: Record<string, string> = {
  'unknown-account': 'accountNumber',
  'district-forbidden': 'accountNumber',
  'unknown-bill': 'period',
  'period-in-future': 'period',
  'paid-in-future': 'paidAt',
  overpayment: 'amount',
  'reference-reused': 'reference',
};

interface PaymentResult {
  result: 'recorded' | 'duplicate';
  bill: { period: string; status: string; amountDue: number; amountPaid: number; outstanding: number };
}

export function PaymentsPage({ desk }: PageProps) {
  const { t, utility, fmt } = desk;
  useFocusHeading('payments');
  // Amounts are typed in the currency's units and sent in its minor units (won have none, roubles have kopecks).
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: utility.currency }).resolvedOptions()
      .maximumFractionDigits ?? 0;
  const major = (amount: number) => amount / 10 ** digits;
  const [form, setForm] = useState({
    accountNumber: '',
    period: '',
    amount: '',
    paidAt: wallTime(new Date(), utility.timeZone),
    method: 'giro',
    reference: '',
  });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [result, setResult] = useState<PaymentResult>();
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const set = (field: keyof typeof form) => (value: string) =>
    setForm((current) => ({ ...current, [field]: value }));

  const submit = async (event: Event) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    const typed = form.amount.trim().replace(/\s/g, '').replace(',', '.');
    const amount = Math.round(Number(typed) * 10 ** digits);
    if (!form.accountNumber.trim()) found.accountNumber = t('required');
    if (!PERIOD.test(form.period.trim())) found.period = t('periodInvalid');
    if (!/^\d+(\.\d+)?$/.test(typed) || !(amount > 0)) found.amount = t('amountInvalid');
    const paidAt = zonedInstant(form.paidAt, utility.timeZone);
    if (!paidAt) found.paidAt = t('required');
    if (!/^[\x21-\x7e]{1,100}$/.test(form.reference.trim())) found.reference = t('required');
    setProblems(found);
    setFailure(undefined);
    setResult(undefined);
    setInvalid(Object.keys(found).length > 0);
    if (Object.keys(found).length > 0) return focusFirstInvalid();
    setBusy(true);
    try {
      setResult(
        await desk.call<PaymentResult>('/admin/payments', {
          body: {
            accountNumber: form.accountNumber.trim(),
            period: form.period.trim(),
            amount,
            paidAt,
            method: form.method,
          },
          headers: { 'idempotency-key': form.reference.trim() },
        }),
      );
    } catch (error) {
      setFailure(error);
      const named = fieldProblems(t, error, CODE_FIELDS);
      const reference = named['header.idempotency-key'];
      setProblems(reference ? { ...named, reference } : named);
      focusFirstInvalid();
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('paymentsTitle')}</h1>
      {failure !== undefined && <ErrorMessage title={t('errorTitle')} message={problemMessage(t, failure)} />}
      {invalid && <ErrorMessage title={t('errorTitle')} message={t('checkFields')} />}
      {result && (
        <StatusMessage>
          {result.result === 'duplicate'
            ? t('duplicatePayment')
            : t('recorded', {
                period: fmt.period(result.bill.period),
                status: label(t, 'bst_', result.bill.status),
                paid: fmt.money(major(result.bill.amountPaid)),
                due: fmt.money(major(result.bill.amountDue)),
                outstanding: fmt.money(major(result.bill.outstanding)),
              })}
        </StatusMessage>
      )}
      <form onSubmit={submit} noValidate>
        <TextField
          label={t('accountNumber')}
          error={errorFor(problems, 'accountNumber')}
          value={form.accountNumber}
          onValue={set('accountNumber')}
          inputMode="numeric"
          autocomplete="off"
          required
        />
        <TextField
          label={t('billPeriod')}
          hint={t('periodHint')}
          error={errorFor(problems, 'period')}
          value={form.period}
          onValue={set('period')}
          inputMode="numeric"
          maxLength={7}
          required
        />
        <TextField
          label={t('amount', { currency: utility.currency })}
          error={errorFor(problems, 'amount')}
          value={form.amount}
          onValue={set('amount')}
          inputMode="decimal"
          required
        />
        <TextField
          type="datetime-local"
          label={t('paidAt')}
          hint={t('paidAtHint', { zone: utility.timeZone })}
          error={errorFor(problems, 'paidAt')}
          value={form.paidAt}
          onValue={set('paidAt')}
          required
        />
        <SelectField
          label={t('method')}
          error={errorFor(problems, 'method')}
          value={form.method}
          onValue={set('method')}
          options={METHODS.map((code) => ({ value: code, label: label(t, 'pm_', code) }))}
        />
        <TextField
          label={t('reference')}
          hint={t('referenceHint')}
          error={errorFor(problems, 'reference')}
          value={form.reference}
          onValue={set('reference')}
          maxLength={100}
          autocomplete="off"
          required
        />
        <div class="actions">
          <button type="submit" disabled={busy}>
            {t('record')}
          </button>
        </div>
      </form>
    </>
  );
}
