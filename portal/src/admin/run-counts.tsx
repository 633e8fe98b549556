// A notice run's counts as a table (an announcement's progress and a bill-notice run share the report's shape).
import type { Desk } from './desk.ts';

export interface RunCounts {
  run?: string;
  status?: string;
  counts: {
    planned: number;
    sent: number;
    byChannel?: { sms?: number; messenger?: number };
    fellBack?: number;
    smsParts?: number;
    lmsMessages?: number;
    skipped?: Record<string, number>;
    delivered?: { sms?: number; messenger?: number };
  };
  pending: number;
  estimatedCost?: { currency: string; total: number };
}

export function RunCountsTable(props: { desk: Desk; report: RunCounts; caption: string }) {
  const { t, fmt } = props.desk;
  const { counts } = props.report;
  const rows: Array<[string, number]> = [
    [t('planned'), counts.planned],
    [t('sent'), counts.sent],
    [t('bySms'), counts.byChannel?.sms ?? 0],
    [t('byMessenger'), counts.byChannel?.messenger ?? 0],
    [t('fellBack'), counts.fellBack ?? 0],
    [t('smsParts'), counts.smsParts ?? 0],
    [t('lmsMessages'), counts.lmsMessages ?? 0],
    [t('delivered'), (counts.delivered?.sms ?? 0) + (counts.delivered?.messenger ?? 0)],
    [t('pending'), props.report.pending],
    ...Object.entries(counts.skipped ?? {}).map(([reason, n]): [string, number] => [
      t('skipped', { reason }),
      n,
    ]),
  ];
  const cost = props.report.estimatedCost;
  return (
    <div class="table-wrap">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('status')}</th>
            <th scope="col" class="num">
              {t('count')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([name, n]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td class="num">{fmt.number(n)}</td>
            </tr>
          ))}
          {cost && (
            <tr>
              <th scope="row">{t('cost')}</th>
              <td class="num">
                {new Intl.NumberFormat(props.desk.language, {
                  style: 'currency',
                  currency: cost.currency,
                }).format(cost.total)}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
