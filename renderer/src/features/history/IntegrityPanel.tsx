// The chain's state (verified / torn tail dropped / broken at position N), its head, and verification on demand (§8).
import { useState } from 'react';
import type { AppError, HistoryIntegrity } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useI18n } from '../../i18n/index.ts';
import { Dialog } from './Dialog.tsx';
import { IntegrityReports } from './IntegrityReports.tsx';
import { formatInstant } from './model.ts';

const REASONS = ['frame-hash', 'decrypt', 'chain', 'framing', 'checkpoint', 'content'] as const;

/** The log's break reasons (core/history/log.ts BrokenAt) as messages; an unknown one reads as damaged structure. */
function reasonKey(reason: string): `history.reason.${(typeof REASONS)[number]}` {
  const known = REASONS.find((r) => r === reason);
  return `history.reason.${known ?? 'framing'}`;
}

export function IntegrityPanel(props: { integrity: HistoryIntegrity; onChanged: () => void }) {
  const { t, language, calendar } = useI18n();
  const [checking, setChecking] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState<AppError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const i = props.integrity;
  const state = i.broken ? 'broken' : i.reports.some((r) => r.kind !== 'torn-tail') ? 'reported' : i.torn_tail_dropped ? 'torn' : 'ok';

  const verify = async () => {
    setChecking(true);
    setError(null);
    setMessage(t('history.integrity.verifying'));
    try {
      const result = await invoke('history:verify', {});
      const time = formatInstant(new Date().toISOString(), language, calendar);
      setMessage(t('history.integrity.verified', { time, result: t(result.broken ? 'history.integrity.verifiedBroken' : 'history.integrity.verifiedOk') }));
      props.onChanged();
    } catch (e) {
      setMessage('');
      setError(toAppError(e));
    } finally {
      setChecking(false);
    }
  };

  const keepValid = async () => {
    setConfirming(false);
    setError(null);
    try {
      const r = await invoke('history:keep-valid', { confirm: true });
      setMessage(t('history.integrity.keptValid', { dropped: r.dropped, evidence: r.evidence }));
      props.onChanged();
    } catch (e) {
      setError(toAppError(e));
    }
  };

  return (
    <section aria-labelledby="history-integrity" className={`history-integrity history-integrity-${state}`} data-testid="history-integrity" data-state={state}>
      <h2 id="history-integrity">{t('history.integrity.title')}</h2>
      <p className="history-integrity-status">
        {state === 'broken' && i.broken
          ? t('history.integrity.broken', { position: i.broken.position, reason: t(reasonKey(i.broken.reason)) })
          : state === 'torn' && i.torn_tail_dropped
            ? t('history.integrity.torn', { bytes: i.torn_tail_dropped.bytes })
            : t('history.integrity.ok', { count: i.count })}
      </p>
      {state === 'broken' && <p>{t('history.integrity.brokenHelp')}</p>}
      <IntegrityReports integrity={i} onChanged={props.onChanged} />
      <dl className="facts">
        <dt>{t('history.integrity.head')}</dt>
        <dd>
          <code className="history-hash" data-testid="history-chain-head">
            {i.head}
          </code>
        </dd>
        <dt>{t('history.integrity.count')}</dt>
        <dd>{i.count}</dd>
        <dt>{t('history.integrity.pruned')}</dt>
        <dd>{i.pruned_count}</dd>
      </dl>
      <p className="history-help">{t('history.integrity.headHelp')}</p>
      <div className="history-actions">
        <button type="button" className="button" onClick={() => void verify()} disabled={checking}>
          {t('history.integrity.verify')}
        </button>
        {state === 'broken' && (
          <button type="button" className="button button-quiet" onClick={() => { setConfirming(true); }}>
            {t('history.integrity.keepValid')}
          </button>
        )}
      </div>
      <p role="status" className="history-live" data-testid="history-verify-status">
        {message}
      </p>
      {error && <ErrorView variant="inline" error={error} />}
      {confirming && (
        <Dialog title={t('history.integrity.keepValid')} onClose={() => { setConfirming(false); }}>
          <p>{t('history.integrity.keepValidConfirm')}</p>
          <div className="history-actions">
            <button type="button" className="button" onClick={() => void keepValid()}>
              {t('history.integrity.keepValid')}
            </button>
            <button type="button" className="button button-quiet" onClick={() => { setConfirming(false); }}>
              {t('history.delete.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
