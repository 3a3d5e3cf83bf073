// Sharing over time and by recipient: SVG drawn with attributes and CSS classes only (the CSP forbids inline styles),
// each chart an image with a text summary, and the same numbers as tables for anyone who cannot see the bars.
import { useId } from 'react';
import type { HistoryStats } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { columnBars, formatMonth, localName, rowLengths } from './model.ts';

const MAX_MONTHS = 24;
const MAX_RECIPIENTS = 8;

function MonthChart(props: { months: HistoryStats['months'] }) {
  const { t, language, calendar } = useI18n();
  const titleId = useId();
  const descId = useId();
  const shown = props.months.slice(-MAX_MONTHS);
  // Sized near its rendered width so SVG text stays at body size.
  const width = 420;
  const height = 150;
  const bars = columnBars(
    shown.map((m) => m.count),
    width,
    height,
  );
  const total = props.months.reduce((s, m) => s + m.count, 0);
  const peak = props.months.reduce((a, b) => (b.count > a.count ? b : a), props.months[0] ?? { month: '', count: 0 });
  const first = props.months[0]?.month ?? '';
  const last = props.months.at(-1)?.month ?? '';
  const max = Math.max(1, ...shown.map((m) => m.count));
  return (
    <figure className="history-chart">
      <figcaption id={titleId} className="history-chart-title">
        {t('history.chart.byMonth')}
      </figcaption>
      <p id={descId} className="history-chart-summary" data-testid="history-chart-month-summary">
        {t('history.chart.byMonthSummary', {
          first: formatMonth(first, language, calendar),
          last: formatMonth(last, language, calendar),
          total,
          peak: formatMonth(peak.month, language, calendar),
          peakCount: peak.count,
        })}
        {props.months.length > MAX_MONTHS ? ` ${t('history.chart.shownMonths', { count: MAX_MONTHS })}` : ''}
      </p>
      <svg
        className="history-svg"
        viewBox={`0 -18 ${String(width)} ${String(height + 44)}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        data-testid="history-chart-month"
      >
        <line className="history-axis" x1={0} y1={height} x2={width} y2={height} />
        <text className="history-axis-label" x={2} y={-4}>
          {max}
        </text>
        {bars.map((b, i) => {
          const m = shown[i];
          if (!m) return null;
          const label = `${formatMonth(m.month, language, calendar)}: ${String(m.count)}`;
          return (
            <g key={m.month}>
              <rect className="history-bar" x={b.x} y={b.y} width={b.width} height={b.height}>
                <title>{label}</title>
              </rect>
              {(i === 0 || i === bars.length - 1 || m.month.endsWith('-01')) && (
                <text className="history-axis-label" x={b.x + b.width / 2} y={height + 18} textAnchor="middle">
                  {m.month}
                </text>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

function RecipientChart(props: { recipients: HistoryStats['recipients'] }) {
  const { t, language } = useI18n();
  const titleId = useId();
  const descId = useId();
  const shown = props.recipients.slice(0, MAX_RECIPIENTS);
  const name = (r: HistoryStats['recipients'][number]) => (r.name ? localName(r.name, language) : t('history.self'));
  const labelWidth = 190;
  const barWidth = 180;
  const row = 28;
  const lengths = rowLengths(
    shown.map((r) => r.count),
    barWidth,
  );
  const top = props.recipients[0];
  return (
    <figure className="history-chart">
      <figcaption id={titleId} className="history-chart-title">
        {t('history.chart.byRecipient')}
      </figcaption>
      <p id={descId} className="history-chart-summary">
        {top ? t('history.chart.byRecipientSummary', { count: props.recipients.length, top: name(top), topCount: top.count }) : ''}
      </p>
      <svg
        className="history-svg"
        viewBox={`0 0 ${String(labelWidth + barWidth + 60)} ${String(shown.length * row + 4)}`}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        data-testid="history-chart-recipient"
      >
        {shown.map((r, i) => (
          <g key={r.id}>
            <text className="history-axis-label" x={labelWidth - 8} y={i * row + 19} textAnchor="end">
              {name(r)}
            </text>
            <rect className="history-bar" x={labelWidth} y={i * row + 4} width={lengths[i] ?? 0} height={row - 8}>
              <title>{`${name(r)}: ${String(r.count)}`}</title>
            </rect>
            <text className="history-axis-label" x={labelWidth + (lengths[i] ?? 0) + 6} y={i * row + 19}>
              {r.count}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

export function SharingChart(props: { stats: HistoryStats }) {
  const { t, language, calendar } = useI18n();
  const s = props.stats;
  return (
    <section aria-labelledby="history-chart" className="history-charts" data-testid="history-charts">
      <h2 id="history-chart">{t('history.chart.title')}</h2>
      <p>{t('history.chart.intro')}</p>
      {s.transmitted === 0 ? (
        <p className="status-note">{t('history.chart.none')}</p>
      ) : (
        <>
          <div className="history-chart-row">
            <MonthChart months={s.months} />
            <RecipientChart recipients={s.recipients} />
          </div>
          <details className="history-chart-tables">
            <summary>{t('history.chart.asTable')}</summary>
            <table className="data-table history-table history-table-small" data-testid="history-chart-table-month">
              <caption>{t('history.chart.byMonth')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.chart.month')}</th>
                  <th scope="col">{t('history.chart.count')}</th>
                </tr>
              </thead>
              <tbody>
                {s.months.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{formatMonth(m.month, language, calendar)}</th>
                    <td>{m.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <table className="data-table history-table history-table-small" data-testid="history-chart-table-recipient">
              <caption>{t('history.chart.byRecipient')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('history.col.recipient')}</th>
                  <th scope="col">{t('history.chart.count')}</th>
                </tr>
              </thead>
              <tbody>
                {s.recipients.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.name ? localName(r.name, language) : t('history.self')}</th>
                    <td>{r.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}
