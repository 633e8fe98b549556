// The usage chart: one bar per bill, drawn as SVG by hand (no chart library: a few lines, no inline styles for
// the CSP), with a one-sentence summary for screen readers and the numbers in a table beside it.
import type { Formats } from '../shared/format.ts';
import type { T } from './strings.ts';
import { TableWrap } from './table-wrap.tsx';

export interface UsagePoint {
  period: string;
  volume: number;
  unit: string;
  estimated: boolean;
  amountDueText: string;
}

const WIDTH = 640;
const HEIGHT = 240;
const LEFT = 48;
const BOTTOM = 28;
const TOP = 12;

export function UsageChart(props: { points: UsagePoint[]; months: number; t: T; f: Formats }) {
  const { points, t, f } = props;
  if (points.length === 0) return <p>{t('usage.none')}</p>;
  const unit = points[0]?.unit === 'm3' ? 'm³' : (points[0]?.unit ?? '');
  const max = Math.max(...points.map((p) => p.volume), 1);
  const min = Math.min(...points.map((p) => p.volume));
  const highest = points.find((p) => p.volume === max) ?? points[0];
  const lowest = points.find((p) => p.volume === min) ?? points[0];
  const slot = (WIDTH - LEFT) / points.length;
  const scale = (HEIGHT - TOP - BOTTOM) / max;
  const label = (value: number) => `${f.number(value)} ${unit}`;
  const summary = t('usage.summary', {
    from: f.period(points[0]?.period ?? ''),
    to: f.period(points[points.length - 1]?.period ?? ''),
    max: label(max),
    maxPeriod: f.period(highest?.period ?? ''),
    min: label(min),
    minPeriod: f.period(lowest?.period ?? ''),
  });
  // Label every bar when they fit, else every other or every third, so the month names never overlap.
  const every = Math.ceil(points.length / 12);
  return (
    <figure class="usage">
      <figcaption>
        <h2>{t('usage.title', { months: props.months })}</h2>
        <p>{summary}</p>
      </figcaption>
      <svg class="chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary}>
        <line class="axis" x1={LEFT} y1={HEIGHT - BOTTOM} x2={WIDTH} y2={HEIGHT - BOTTOM} />
        <text x={LEFT - 6} y={TOP + 4} text-anchor="end">
          {f.number(max)}
        </text>
        <text x={LEFT - 6} y={HEIGHT - BOTTOM} text-anchor="end">
          0
        </text>
        <text x={4} y={TOP + 4}>
          {unit}
        </text>
        {points.map((p, i) => {
          const height = Math.max(p.volume * scale, 1);
          const x = LEFT + i * slot + slot * 0.15;
          return (
            <g key={p.period}>
              <rect
                class={p.estimated ? 'bar bar-estimated' : 'bar'}
                x={x}
                y={HEIGHT - BOTTOM - height}
                width={slot * 0.7}
                height={height}
              />
              {i % every === 0 && (
                <text x={x + slot * 0.35} y={HEIGHT - 8} text-anchor="middle">
                  {p.period.slice(2).replace('-', '.')}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <details>
        <summary>{t('usage.table')}</summary>
        <TableWrap label={t('usage.table')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('bills.period')}</th>
                <th scope="col" class="num">
                  {t('bills.usage')}
                </th>
                <th scope="col" class="num">
                  {t('bills.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{f.period(p.period)}</th>
                  <td class="num">
                    {label(p.volume)}
                    {p.estimated ? ` (${t('bills.estimated')})` : ''}
                  </td>
                  <td class="num">{p.amountDueText}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </details>
    </figure>
  );
}
