// Any CSV/JSON as tables (every list and object of a JSON file, one CSV table): one search over all, each sortable by its column headers (buttons, aria-sort), keyboard-reachable.
import { useId, useMemo, useState } from 'react';
import type { GenericTable as Table, TableSection } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatAmount, formatBothCalendars, visibleRows, type SortState } from './format.ts';

export function GenericTables(props: { tables: readonly TableSection[]; name: string }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const many = props.tables.length > 1;
  return (
    <div className="dataset-generic" data-testid="dataset-generic-table" data-sections={props.tables.length}>
      {many && <p>{t('datasets.table.sections', { count: props.tables.length })}</p>}
      <p className="dataset-search">
        <label htmlFor={searchId}>{t(many ? 'datasets.table.searchAll' : 'datasets.table.search')}</label>{' '}
        <input id={searchId} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </p>
      {props.tables.map((s) => (
        <GenericTable key={s.path} table={s.table} name={props.name} path={many ? s.path : null} query={query} />
      ))}
    </div>
  );
}

function GenericTable(props: { table: Table; name: string; path: string | null; query: string }) {
  const { t, language } = useI18n();
  const [sort, setSort] = useState<SortState>(null);
  const rows = useMemo(() => visibleRows(props.table, props.query, sort, language), [props.table, props.query, sort, language]);
  const { columns } = props.table;
  const header = (c: string) => (columns.length === 2 && columns[0] === 'field' && columns[1] === 'value' ? t(c === 'field' ? 'datasets.table.field' : 'datasets.table.value') : c);
  const toggle = (i: number) =>
    setSort((s) => (s?.column === i ? { column: i, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { column: i, direction: 'ascending' }));
  const where = props.path === null ? props.name : `${props.name} › ${props.path === '' ? t('datasets.table.root') : props.path}`;
  const caption = t('datasets.table.caption', { name: where, shown: rows.length, count: props.table.rows.length });

  return (
    // A table wider than the window scrolls; the keyboard must reach it too (WCAG 2.1.1, axe scrollable-region-focusable).
    // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
    <div className="dataset-scroll" role="region" aria-label={caption} tabIndex={0} data-path={props.path ?? ''}>
      <table className="data-table mydata-table dataset-table">
        <caption aria-live="polite">{caption}</caption>
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
  );
}
