// Exports (CSV with the chain, PDF report in zh-TW or English), the retention period (≥ 2 years, G14) and
// "delete everything" behind a confirmation that says what is lost.
import { useEffect, useId, useState } from 'react';
import type { AppError, HistoryFilter, SavedFile } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { useI18n } from '../../i18n/index.ts';
import { Dialog } from './Dialog.tsx';
import { CheckExport } from './CheckExport.tsx';

const RETENTION_CHOICES = [2, 3, 5, 7, 10, 15, 20, 30, 50];

export function ExportPanel(props: { filter: HistoryFilter; disabled: boolean }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  // The CSV export runs on a worker in main and reports rows written; it can be cancelled while it runs.
  const [csv, setCsv] = useState<{ done: number; total: number } | null>(null);

  useEffect(
    () =>
      subscribe('progress', (p) => {
        if (p.phase === 'history-export' && p.total !== null) setCsv({ done: p.done, total: p.total });
      }),
    [],
  );

  const run = async (work: () => Promise<SavedFile>) => {
    setBusy(true);
    setError(null);
    setCsv(null);
    setMessage(t('history.export.working'));
    try {
      const saved = await work();
      setMessage(
        saved.canceled ? t('history.export.canceled') : t('history.export.saved', { path: saved.path ?? '', bytes: saved.bytes, head: saved.chainHead }),
      );
    } catch (e) {
      const failure = toAppError(e);
      if (failure.code === 'HISTORY_EXPORT_CANCELLED') setMessage(t('history.export.canceled'));
      else {
        setMessage('');
        setError(failure);
      }
    } finally {
      setBusy(false);
      setCsv(null);
    }
  };

  return (
    <section aria-labelledby="history-export" className="history-export">
      <h2 id="history-export">{t('history.export.title')}</h2>
      <p>{t('history.export.intro')}</p>
      <div className="history-actions">
        <button type="button" className="button" disabled={busy || props.disabled} onClick={() => void run(() => invoke('history:export-csv', {}))}>
          {t('history.export.csv')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || props.disabled}
          onClick={() => void run(() => invoke('history:export-pdf', { language: 'zh-TW', filter: props.filter }))}
        >
          {t('history.export.pdfZh')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || props.disabled}
          onClick={() => void run(() => invoke('history:export-pdf', { language: 'en', filter: props.filter }))}
        >
          {t('history.export.pdfEn')}
        </button>
      </div>
      {busy && csv && (
        <div className="history-export-progress" data-testid="history-export-progress">
          <progress max={csv.total} value={csv.done} aria-label={t('history.export.progress', { done: csv.done, total: csv.total })} />
          <span>{t('history.export.progress', { done: csv.done, total: csv.total })}</span>
          <button type="button" className="button" onClick={() => void invoke('history:export-cancel', {})}>
            {t('history.export.cancel')}
          </button>
        </div>
      )}
      <p role="status" className="history-live history-saved" data-testid="history-export-status">
        {message}
      </p>
      {error && <ErrorView variant="inline" error={error} />}
      <CheckExport />
    </section>
  );
}

export function ManagePanel(props: { retentionYears: number; minYears: number; count: number; onChanged: () => void }) {
  const { t } = useI18n();
  const selectId = useId();
  const helpId = useId();
  const [years, setYears] = useState(props.retentionYears);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const choices = [...new Set([...RETENTION_CHOICES, props.retentionYears])].filter((y) => y >= props.minYears).sort((a, b) => a - b);

  const saveRetention = async () => {
    setError(null);
    try {
      const r = await invoke('history:set-retention', { years });
      setMessage(t('history.retention.saved', { years: r.retentionYears, pruned: r.pruned }));
      props.onChanged();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  const deleteAll = async () => {
    setConfirming(false);
    setError(null);
    try {
      await invoke('history:delete-all', { confirm: true });
      setMessage(t('history.delete.done'));
      props.onChanged();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  return (
    <section aria-labelledby="history-manage" className="history-manage">
      <h2 id="history-manage">{t('history.manage.title')}</h2>
      <div className="tool-field history-field">
        <label htmlFor={selectId}>{t('history.retention.label')}</label>
        <select
          id={selectId}
          aria-describedby={helpId}
          value={years}
          onChange={(e) => {
            setYears(Number(e.target.value));
          }}
        >
          {choices.map((y) => (
            <option key={y} value={y}>
              {t('history.retention.years', { years: y })}
            </option>
          ))}
        </select>
        <p id={helpId} className="history-help">
          {t('history.retention.help')}
        </p>
      </div>
      <div className="history-actions">
        <button type="button" className="button" onClick={() => void saveRetention()} disabled={years === props.retentionYears}>
          {t('history.retention.save')}
        </button>
        <button
          type="button"
          className="button history-danger"
          disabled={props.count === 0}
          onClick={() => {
            setConfirming(true);
          }}
        >
          {t('history.delete.button')}
        </button>
      </div>
      <p role="status" className="history-live" data-testid="history-manage-status">
        {message}
      </p>
      {error && <ErrorView variant="inline" error={error} />}
      {confirming && (
        <Dialog
          title={t('history.delete.title')}
          testId="history-delete-dialog"
          onClose={() => {
            setConfirming(false);
          }}
        >
          <p>{t('history.delete.lost', { count: props.count })}</p>
          <ul>
            <li>{t('history.delete.lost1')}</li>
            <li>{t('history.delete.lost2')}</li>
            <li>{t('history.delete.lost3')}</li>
            <li>
              <strong>{t('history.delete.lost4')}</strong>
            </li>
          </ul>
          {/* The safe choice comes first, so showModal() gives it focus: Enter on the opened dialog keeps the history. */}
          <div className="history-actions">
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                setConfirming(false);
              }}
            >
              {t('history.delete.cancel')}
            </button>
            <button type="button" className="button history-danger" onClick={() => void deleteAll()}>
              {t('history.delete.confirm', { count: props.count })}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
