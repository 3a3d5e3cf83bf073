// Small SVG charts beside their tables (the tables are the accessible alternative): income per year, insurance periods on a timeline.
import type { DatasetView } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatAmount } from './format.ts';

type Income = Extract<DatasetView, { kind: 'income' }>;
type Insurance = Extract<DatasetView, { kind: 'insurance' }>;

export function IncomeChart(props: { view: Income }) {
  const { t, language } = useI18n();
  const years = props.view.byYear;
  if (years.length === 0) return null;
  const max = Math.max(1, ...years.map((y) => y.amount));
  const barW = 48;
  const width = years.length * (barW + 24) + 24;
  return (
    <figure className="dataset-chart" data-testid="income-chart">
      <figcaption>
        {t('datasets.income.chartTitle')} <span className="mydata-muted">{t('datasets.chart.alt')}</span>
      </figcaption>
      <svg viewBox={`0 0 ${String(width)} 180`} width={width} height={180} aria-hidden="true" focusable="false">
        {years.map((y, i) => {
          const h = Math.round((y.amount / max) * 120);
          const x = 24 + i * (barW + 24);
          return (
            <g key={y.year}>
              <rect x={x} y={140 - h} width={barW} height={h} className="dataset-bar" />
              <text x={x + barW / 2} y={134 - h} textAnchor="middle" className="dataset-chart-label">
                {formatAmount(y.amount, language)}
              </text>
              <text x={x + barW / 2} y={160} textAnchor="middle" className="dataset-chart-label">
                {String(y.year)}
              </text>
            </g>
          );
        })}
        <line x1={12} x2={width - 12} y1={140} y2={140} className="dataset-axis" />
      </svg>
    </figure>
  );
}

export function InsuranceTimeline(props: { view: Insurance }) {
  const { t } = useI18n();
  const periods = props.view.periods.filter((p) => p.from?.iso);
  if (periods.length === 0) return null;
  const time = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
  const start = Math.min(...periods.map((p) => time(p.from?.iso ?? props.view.asOf)));
  const end = Math.max(time(props.view.asOf), ...periods.map((p) => time(p.to?.iso ?? props.view.asOf)));
  const span = Math.max(1, end - start);
  const width = 560;
  const rowH = 26;
  const x = (ms: number) => 8 + ((ms - start) / span) * (width - 16);
  const firstYear = new Date(start).getUTCFullYear();
  const lastYear = new Date(end).getUTCFullYear();
  const step = Math.max(1, Math.ceil((lastYear - firstYear + 1) / 8));
  const ticks: number[] = [];
  for (let y = firstYear + 1; y <= lastYear; y += step) ticks.push(y);
  const height = periods.length * rowH + 30;
  return (
    <figure className="dataset-chart" data-testid="insurance-timeline">
      <figcaption>
        {t('datasets.insurance.chartTitle')} <span className="mydata-muted">{t('datasets.chart.alt')}</span>
      </figcaption>
      <svg viewBox={`0 0 ${String(width)} ${String(height)}`} width={width} height={height} aria-hidden="true" focusable="false">
        {periods.map((p, i) => {
          const a = x(time(p.from?.iso ?? props.view.asOf));
          const b = x(time(p.to?.iso ?? props.view.asOf));
          return <rect key={i} x={a} y={4 + i * rowH} width={Math.max(3, b - a)} height={rowH - 8} className={p.to ? 'dataset-bar' : 'dataset-bar dataset-bar-open'} />;
        })}
        {ticks.map((y) => {
          const tx = x(Date.UTC(y, 0, 1));
          return (
            <g key={y}>
              <line x1={tx} x2={tx} y1={0} y2={height - 22} className="dataset-grid" />
              <text x={tx} y={height - 6} textAnchor="middle" className="dataset-chart-label">
                {String(y)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
