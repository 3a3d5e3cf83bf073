// Self-downloads the person consented to that are not kept here yet (an earlier run quit, or a download was cancelled),
// each with "Download now" while the platform still holds the package (G1). The list comes from main (package:pending,
// built from the receipts, the vault and the history) and is asked again whenever a download changes state.
import { useState } from 'react';
import type { AppError, DownloadTask, PendingDownload } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from './format.ts';

const RUNNING = new Set<DownloadTask['state']>(['waiting', 'downloading', 'verifying']);

export function PendingDownloads(props: { tasks: DownloadTask[] }) {
  const { t, language, pick } = useI18n();
  // Asked again by the data layer when a download starts or ends (not with its progress): then the list may have changed.
  const query = useIpcQuery('package:pending', {});
  const pending: PendingDownload[] = query.status === 'ready' ? query.data : [];
  const [startError, setError] = useState<AppError | null>(null);
  const error = startError ?? (query.status === 'error' ? query.error : null);

  const running = new Set(props.tasks.filter((task) => RUNNING.has(task.state)).map((task) => task.txId));
  const shown = pending.filter((p) => !running.has(p.txId));
  if (shown.length === 0 && error === null) return null;

  const start = (p: PendingDownload) => {
    setError(null);
    invoke('package:download', { txId: p.txId, serviceId: p.service.id, receiptId: p.receiptId }).catch((e: unknown) => setError(toAppError(e)));
  };

  return (
    <section className="mydata-section" aria-labelledby="mydata-pending-heading" data-testid="pending-downloads">
      <h2 id="mydata-pending-heading">{t('mydata.pending.heading')}</h2>
      <p>{t('mydata.pending.intro')}</p>
      {error && <ErrorView variant="inline" error={error} />}
      <ul className="mydata-tasks">
        {shown.map((p) => {
          const name = pick(p.service.name);
          return (
            <li key={p.txId} className="mydata-task" data-testid="pending-download" data-tx-id={p.txId}>
              <p>
                <strong>{name}</strong> <span className="mydata-muted">{t('mydata.pending.consented', { date: formatInstant(p.consentedAt, language) })}</span>
              </p>
              <div className="mydata-actions">
                <button type="button" className="button" aria-label={t('mydata.pending.startLabel', { service: name })} onClick={() => start(p)}>
                  {t('mydata.pending.start')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
