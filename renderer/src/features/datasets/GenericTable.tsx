// Any CSV/JSON as one table: sortable by each column (buttons in the headers, aria-sort), searchable, keyboard-reachable.
import { useId, useMemo, useState } from 'react';
import type { GenericTable as Table } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatAmount, formatBothCalendars, visibleRows, type SortState } from './format.ts';

export function GenericTable(props: { table: Table; name: string }) {
  const { t, language } = useI18n();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortState>(null);
  const searchId = useId();
  const rows = useMemo(() => visibleRows(props.table, query, sort, language), [props.table, query, sort, language]);
  const { columns } = props.table;
  const header = (c: string) => (columns.length === 2 && columns[0] === 'field' && columns[1] === 'value' ? t(c === 'field' ? 'datasets.table.field' : 'datasets.table.value') : c);
  const toggle = (i: number) =>
    setSort((s) => (s?.column === i ? { column: i, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column: i, direction: 'ascending' }));

  return (
    <div className="dataset-generic" data-testid="dataset-generic-table">
      <p className="dataset-search">
        <label htmlFor={searchId}>{t('datasets.table.search')}</label>{' '}
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </p>
      {/* A table wider than the window scrolls; the keyboard must reach it too (WCAG 2.1.1, axe scrollable-region-focusable). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div className="dataset-scroll" role="region" aria-label={t('datasets.table.caption', { name: props.name, shown: rows.length, count: props.table.rows.length })} tabIndex={0}>
        <table className="mydata-table dataset-table">
          <caption aria-live="polite">{t('datasets.table.caption', { name: props.name, shown: rows.length, count: props.table.rows.length })}</caption>
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th key={c} scope="col" aria-sort={sort?.column === i ? sort.direction : undefined}>
                  <button type="button" className="dataset-sort" aria-label={t('datasets.table.sortBy', { column: header(c) })} onClick={() => toggle(i)}>
                    {header(c)}
                    <span aria-hidden="true">{sort?.column === i ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : ' ↕'}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 && (
              <tr>
                <td colSpan={Math.max(1, columns.length)}>{t('datasets.table.empty')}</td>
              </tr>
            )}
            {rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) => (
                  <td key={i} className={cell.number !== null ? 'dataset-number' : undefined}>
                    {cell.date ? formatBothCalendars(cell.date, language) : cell.number !== null ? formatAmount(cell.number, language) : cell.text}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
