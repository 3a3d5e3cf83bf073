// What opening the history found and the person has not acknowledged yet (rollback, torn tail, mark problems), and the
// consent receipts whose chain head the history no longer holds (G12, G14). Reports persist until acknowledged.
import { useState } from 'react';
import type { AppError, HistoryIntegrity, ReceiptCheck } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from './model.ts';

export function IntegrityReports(props: { integrity: HistoryIntegrity; onChanged: () => void }) {
  const { t, language, calendar, pick } = useI18n();
  const [actionError, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const { reports, head, count } = props.integrity;

  // Re-checked whenever the chain moves (a new record, a kept prefix, a delete).
  const check = useIpcQuery('history:check-receipts', {}, { after: `${count}:${head}` });
  const receipts: ReceiptCheck | null = check.status === 'ready' ? check.data : null;
  const error = actionError ?? (check.status === 'error' ? check.error : null);

  const acknowledge = async (id: string) => {
    setBusy(true);
    setError(null);
    try {
      await invoke('history:acknowledge', { id });
      props.onChanged();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const time = (iso: string) => formatInstant(iso, language, calendar);
  const flagged = receipts?.flagged ?? [];
  if (reports.length === 0 && flagged.length === 0 && !error) {
    return receipts && receipts.checked > 0 ? <p className="history-help">{t('history.receipts.allMatch', { checked: receipts.checked })}</p> : null;
  }
  return (
    <div className="history-reports" data-testid="history-reports">
      {reports.length > 0 && (
        <>
          <h3>{t('history.report.title')}</h3>
          <ul>
            {reports.map((r) => (
              <li key={r.id} data-testid="history-report" data-kind={r.kind}>
                <p>
                  {t(`history.report.${r.kind}`, {
                    expected: r.expected?.count ?? 0,
                    found: r.found.count,
                    missing: r.missing,
                    bytes: r.torn?.bytes ?? 0,
                    time: time(r.detected_at),
                  })}
                </p>
                {r.expected && (
                  <p>
                    {t('history.report.expectedHead')} <code className="history-hash">{r.expected.head}</code>
                  </p>
                )}
                <p className="history-help">{t('history.report.detected', { time: time(r.detected_at) })}</p>
                <button type="button" className="button button-quiet" disabled={busy} onClick={() => void acknowledge(r.id)}>
                  {t('history.report.acknowledge')}
                </button>
              </li>
            ))}
          </ul>
          <p className="history-help">{t('history.report.help')}</p>
        </>
      )}
      {flagged.length > 0 && (
        <>
          <h3>{t('history.receipts.flaggedTitle')}</h3>
          <ul>
            {flagged.map((f) => (
              <li key={f.receipt_id} data-testid="history-flagged-receipt" data-status={f.status}>
                {t(`history.receipts.${f.status}`, { service: pick(f.service), time: time(f.timestamp), count: f.count })}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && <ErrorView variant="inline" error={error} />}
    </div>
  );
}
