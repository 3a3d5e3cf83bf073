// "Check an exported history": the person picks a CSV export, the app runs the same chain check as the auditors' CLI and explains the result.
import { useId, useState } from 'react';
import type { AppError, HistoryExportCheck } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useI18n } from '../../i18n/index.ts';

export function CheckExport() {
  const { t } = useI18n();
  const inputId = useId();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ file: string; check: HistoryExportCheck } | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  const check = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      // The renderer reads only the file the person picked; main never receives a path from the page.
      const text = await file.text();
      setResult({ file: file.name, check: await invoke('history:check-export', { text }) });
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const c = result?.check;
  return (
    <section aria-labelledby="history-check-export" className="history-check-export" data-testid="history-check-export">
      <h3 id="history-check-export">{t('historyCheck.title')}</h3>
      <p>{t('historyCheck.intro')}</p>
      <p>
        <label htmlFor={inputId}>{t('historyCheck.pick')}</label>{' '}
        <input id={inputId} type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => void check(e.target.files?.[0])} />
      </p>
      <div role="status" className="history-live" data-testid="history-check-result" data-ok={c ? String(c.ok) : ''}>
        {busy && <p>{t('historyCheck.checking')}</p>}
        {result && c?.ok === true && (
          <>
            <p>{t('historyCheck.ok', { file: result.file, count: c.records })}</p>
            <p>
              {t('historyCheck.head')} <code className="history-hash">{c.chainHead}</code>
            </p>
            <p className="history-help">{t('historyCheck.headHelp')}</p>
          </>
        )}
        {result && c?.ok === false && (
          <p>
            {c.kind === 'format'
              ? t('historyCheck.notExport', { file: result.file })
              : c.position !== null
                ? t('historyCheck.brokenAt', { file: result.file, position: c.position, line: c.line ?? '—' })
                : t('historyCheck.broken', { file: result.file, line: c.line ?? '—' })}
          </p>
        )}
      </div>
      {error && <ErrorView variant="inline" error={error} />}
    </section>
  );
}
