// A dataset file as a person reads it: the dataset's readable view (family table, insurance and income with totals, cards) or a generic table, plus CSV export.
import { useState } from 'react';
import type { AppError, DatasetView as View } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { IncomeChart, InsuranceTimeline } from './Charts.tsx';
import { GenericTables } from './GenericTable.tsx';
import { formatAmount, formatBothCalendars, showDate, splitDays } from './format.ts';
import './datasets.css';

export default function DatasetView(props: { id: string; name: string; label: string }) {
  const { t, language, pick } = useI18n();
  const state = useIpcQuery('dataset:view', { id: props.id, name: props.name });
  const [notice, setNotice] = useState<{ text: string } | { error: AppError } | null>(null);

  const exportCsv = () => {
    invoke('dataset:export-csv', { id: props.id, name: props.name }).then(
      (r) => setNotice({ text: r.cancelled ? t('datasets.exportCancelled') : t('datasets.exported', { path: r.files[0] ?? r.folder }) }),
      (error: unknown) => setNotice({ error: toAppError(error) }),
    );
  };

  if (state.status === 'loading') return <p role="status">{t('datasets.loading')}</p>;
  if (state.status === 'error') return <ErrorView variant="inline" error={state.error} />;
  const result = state.data;

  return (
    <section className="dataset-view" data-testid="dataset-view" data-view-kind={result.view.kind} data-dataset-id={result.datasetId ?? ''} aria-label={result.dataset ? pick(result.dataset.name) : props.label}>
      {result.dataset ? (
        <p className="dataset-meta">
          <strong>{pick(result.dataset.name)}</strong> <span className="mydata-muted">{result.datasetId}</span>
          <br />
          {result.dataset.provider ? t('datasets.provider', { provider: pick(result.dataset.provider) }) : t('datasets.providerUnknown')}
          <br />
          <span data-testid="dataset-level">{result.dataset.level === null ? t('datasets.levelNotPublished') : t('datasets.level', { level: result.dataset.level })}</span>
        </p>
      ) : (
        <p className="dataset-meta" data-testid="dataset-unknown">
          {result.datasetId ? t('datasets.unknownWithId', { id: result.datasetId }) : t('datasets.unknown')}
        </p>
      )}
      {result.fellBack && <p className="mydata-hint">{t('datasets.fellBack')}</p>}
      {result.encoding === 'big5' && <p className="mydata-hint">{t('datasets.encoding.big5')}</p>}
      <Readable view={result.view} label={props.label} />
      <p className="mydata-actions">
        <button type="button" className="button" aria-label={t('datasets.exportLabel', { name: props.label })} onClick={exportCsv}>
          {t('datasets.export')}
        </button>
      </p>
      <p role="status" className="mydata-notice">
        {notice && 'text' in notice && notice.text}
      </p>
      {notice && 'error' in notice && <ErrorView variant="inline" error={notice.error} />}
    </section>
  );

  function Readable(p: { view: View; label: string }) {
    const v = p.view;
    switch (v.kind) {
      case 'household':
        return (
          <>
            <dl className="facts">
              {v.address !== null && (
                <>
                  <dt>{t('datasets.household.address')}</dt>
                  <dd>{v.address}</dd>
                </>
              )}
              {v.householdId !== null && (
                <>
                  <dt>{t('datasets.household.id')}</dt>
                  <dd>{v.householdId}</dd>
                </>
              )}
            </dl>
            {/* A table wider than the window scrolls; the keyboard must reach it too (WCAG 2.1.1, axe scrollable-region-focusable). */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
            <div className="dataset-scroll" role="region" tabIndex={0} aria-label={t('datasets.household.caption', { count: v.members.length })}>
              <table className="data-table mydata-table dataset-table" data-testid="household-table">
                <caption>{t('datasets.household.caption', { count: v.members.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('datasets.household.name')}</th>
                    <th scope="col">{t('datasets.household.relation')}</th>
                    <th scope="col">{t('datasets.household.birthOrder')}</th>
                    <th scope="col">{t('datasets.household.birth')}</th>
                    <th scope="col">{t('datasets.household.movedIn')}</th>
                    <th scope="col">{t('datasets.household.marriage')}</th>
                    <th scope="col">{t('datasets.household.education')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.members.map((m, i) => (
                    <tr key={i}>
                      <th scope="row" className="dataset-name">
                        {m.name}
                      </th>
                      <td>{m.relation}</td>
                      <td>{m.birthOrder}</td>
                      <td>{showDate(m.birth, language)}</td>
                      <td>{showDate(m.movedIn, language)}</td>
                      <td>{m.marriage}</td>
                      <td>{m.education}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        );
      case 'insurance': {
        const undated = v.periods.filter((x) => x.from === null).length;
        // No dated period: the total cannot be computed, which is said instead of showing zero days.
        const split = v.totalDays === null ? null : splitDays(v.totalDays);
        const total = split === null
          ? t('datasets.insurance.totalUnknown', { count: v.periods.length })
          : t('datasets.insurance.totalValue', { ...split, count: formatAmount(v.totalDays ?? 0, language), asOf: formatBothCalendars(v.asOf, language) });
        const hasCategory = v.periods.some((x) => x.category !== null);
        return (
          <>
            {/* A table wider than the window scrolls; the keyboard must reach it too (WCAG 2.1.1, axe scrollable-region-focusable). */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
            <div className="dataset-scroll" role="region" tabIndex={0} aria-label={t(v.scheme === 'labour' ? 'datasets.insurance.captionLabour' : 'datasets.insurance.captionHealth', { count: v.periods.length })}>
              <table className="data-table mydata-table dataset-table" data-testid="insurance-table">
                <caption>{t(v.scheme === 'labour' ? 'datasets.insurance.captionLabour' : 'datasets.insurance.captionHealth', { count: v.periods.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('datasets.insurance.unit')}</th>
                    {hasCategory && <th scope="col">{t('datasets.insurance.category')}</th>}
                    <th scope="col">{t(v.scheme === 'labour' ? 'datasets.insurance.salary' : 'datasets.insurance.premium')}</th>
                    <th scope="col">{t('datasets.insurance.from')}</th>
                    <th scope="col">{t('datasets.insurance.to')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.periods.map((x, i) => (
                    <tr key={i}>
                      <th scope="row">{x.unit}</th>
                      {hasCategory && <td>{x.category}</td>}
                      <td className="dataset-number">{x.amount !== null ? formatAmount(x.amount, language) : ''}</td>
                      <td>{showDate(x.from, language)}</td>
                      <td>{x.to ? showDate(x.to, language) : t('datasets.insurance.ongoing')}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">{t('datasets.insurance.total')}</th>
                    <td colSpan={hasCategory ? 4 : 3} data-testid="insurance-total">
                      {total}
                      {v.totalDays !== null && undated > 0 && <> {t('datasets.insurance.undatedNote', { count: undated })}</>}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
            <InsuranceTimeline view={v} />
          </>
        );
      }
      case 'income':
        return (
          <>
            {/* A table wider than the window scrolls; the keyboard must reach it too (WCAG 2.1.1, axe scrollable-region-focusable). */}
            {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
            <div className="dataset-scroll" role="region" tabIndex={0} aria-label={t('datasets.income.caption', { count: v.rows.length })}>
              <table className="data-table mydata-table dataset-table" data-testid="income-table">
                <caption>{t('datasets.income.caption', { count: v.rows.length })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('datasets.income.year')}</th>
                    <th scope="col">{t('datasets.income.type')}</th>
                    <th scope="col">{t('datasets.income.payer')}</th>
                    <th scope="col">{t('datasets.income.amount')}</th>
                    <th scope="col">{t('datasets.income.withheld')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.rows.map((r, i) => (
                    <tr key={i}>
                      <td>{r.year ?? ''}</td>
                      <td>{r.type}</td>
                      <th scope="row">{r.payer}</th>
                      <td className="dataset-number">{r.amount !== null ? formatAmount(r.amount, language) : ''}</td>
                      <td className="dataset-number">{r.withheld !== null ? formatAmount(r.withheld, language) : ''}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      {t('datasets.income.total')}
                    </th>
                    <td className="dataset-number" data-testid="income-total">
                      {formatAmount(v.total.amount, language)}
                    </td>
                    <td className="dataset-number">{formatAmount(v.total.withheld, language)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
            {v.byYear.length > 0 && (
              <table className="data-table mydata-table dataset-table">
                <caption>{t('datasets.income.byYearCaption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('datasets.income.year')}</th>
                    <th scope="col">{t('datasets.income.amount')}</th>
                    <th scope="col">{t('datasets.income.withheld')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.byYear.map((y) => (
                    <tr key={y.year}>
                      <th scope="row">{y.year}</th>
                      <td className="dataset-number">{formatAmount(y.amount, language)}</td>
                      <td className="dataset-number">{formatAmount(y.withheld, language)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <IncomeChart view={v} />
          </>
        );
      case 'cards':
        if (v.cards.length === 0) return <p>{t('datasets.cards.empty')}</p>;
        return (
          <ul className="dataset-cards" data-testid="dataset-cards">
            {v.cards.map((c, i) => (
              <li key={i} className="dataset-card">
                <p className="dataset-card-title">{c.title}</p>
                {c.subtitle !== null && <p className="mydata-muted">{c.subtitle}</p>}
                <dl className="facts">
                  {c.facts.map((f, j) => (
                    <div key={j} className="dataset-fact">
                      <dt>{pick(f.label)}</dt>
                      <dd>{f.date ? showDate(f.date, language) : f.number !== null ? formatAmount(f.number, language) : f.text}</dd>
                    </div>
                  ))}
                </dl>
              </li>
            ))}
          </ul>
        );
      case 'table':
        return <GenericTables tables={v.tables} name={p.label} />;
    }
  }
}
