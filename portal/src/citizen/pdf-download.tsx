// The receipt as a PDF: fetched with the account token (a plain link cannot carry it), then saved from a blob.
import { useState } from 'preact/hooks';
import { ErrorMessage, StatusMessage } from '../shared/ui.tsx';
import type { AccountSession } from './session.ts';
import type { T } from './strings.ts';

export function PdfDownload(props: { t: T; apiBase: string; session: AccountSession; period: string }) {
  const { t } = props;
  const [state, setState] = useState<'idle' | 'busy' | 'done' | 'failed'>('idle');
  const download = async () => {
    setState('busy');
    try {
      const account = encodeURIComponent(props.session.accountNumber);
      const response = await fetch(`${props.apiBase}/accounts/${account}/bills/${props.period}/receipt`, {
        headers: { accept: 'application/pdf', authorization: `Bearer ${props.session.token}` },
        credentials: 'omit',
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `receipt-${props.session.accountNumber}-${props.period}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState('done');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button type="button" class="secondary" disabled={state === 'busy'} onClick={download}>
        {t('bill.pdf')}
      </button>
      {state === 'done' && <StatusMessage>{t('bill.pdfReady')}</StatusMessage>}
      {state === 'failed' && <ErrorMessage title={t('errorTitle')} message={t('loadFailed')} />}
    </>
  );
}
