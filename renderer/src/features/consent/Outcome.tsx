// What followed a decision: a refusal's 205, a self-download handed to the download, or a service provider's
// delivery followed until the platform says delivered or failed, each dataset's outcome, and the way back (G5).
import { useId, useState, type RefObject } from 'react';
import { Link } from 'react-router';
import type { AppError, ConsentOutcome, ConsentView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';


export function Outcome(props: { outcome: ConsentOutcome; view: ConsentView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const { outcome, view } = props;
  const { t } = useI18n();
  const ids = useId();
  const consented = outcome.decision === 'consent';
  return (
    <section aria-labelledby={`${ids}-done`} className="consent-outcome" data-testid="consent-outcome" data-decision={outcome.decision} data-tx-id={outcome.txId}>
      <h2 id={`${ids}-done`} ref={props.headingRef} tabIndex={-1}>
        {consented ? t('consent.done.consentTitle') : t('consent.done.refuseTitle')}
      </h2>
      {!consented && <p>{t('consent.done.refused')}</p>}
      <p>{t('consent.done.tx', { tx: outcome.txId })}</p>
      {consented && outcome.delivery === 'self' && <SelfDownload outcome={outcome} serviceId={view.serviceId} />}
      {consented && outcome.delivery === 'service-provider' && (
        <Delivery outcome={outcome} recipient={view.confirm.recipient ?? ''} />
      )}
      {!consented && outcome.delivery === 'service-provider' && <ReturnToProvider outcome={outcome} />}
      <p>
        <Link to={`/my-data/receipts/${encodeURIComponent(outcome.receiptId)}`}>{t('consent.done.receipt')}</Link>
      </p>
    </section>
  );
}

/** Hands the tx_id to the download (package:download) once, when that channel exists; the download runs on My data. */
function SelfDownload(props: { outcome: ConsentOutcome; serviceId: string }) {
  const { t } = useI18n();
  const { outcome, serviceId } = props;
  // Asked once per outcome (the data layer shares one request between renders and remounts in the same turn).
  const started = useIpcQuery('package:download', { txId: outcome.txId, serviceId, receiptId: outcome.receiptId }, { enabled: outcome.downloadChannel === 'package:download' });
  const download = started.status === 'ready' ? { kind: 'started' as const } : started.status === 'error' ? { kind: 'failed' as const, error: started.error } : { kind: 'none' as const };
  return (
    <>
      <p role="status">
        {download.kind === 'started' && t('consent.done.selfNext')}
        {outcome.downloadChannel === null && t('consent.done.selfNoChannel')}
      </p>
      {download.kind === 'failed' && (
        <>
          <p>{t('consent.done.downloadFailed')}</p>
          <ErrorView variant="inline" error={download.error} />
        </>
      )}
      <p>
        <Link to="/my-data">{t('consent.done.goMyData')}</Link>
      </p>
    </>
  );
}

function Delivery(props: { outcome: ConsentOutcome; recipient: string }) {
  const { t, pick } = useI18n();
  const txId = props.outcome.txId;
  const followed = useIpcQuery('consent:follow', { txId });
  const follow = followed.status === 'ready' ? { kind: 'done' as const, outcome: followed.data } : followed.status === 'error' ? { kind: 'failed' as const, error: followed.error } : { kind: 'following' as const };
  const shown = follow.kind === 'done' ? follow.outcome : props.outcome;
  return (
    <div className="consent-delivery">
      <h3>{t('consent.follow.heading')}</h3>
      <p role="status" data-testid="consent-delivery-state" data-state={follow.kind === 'done' ? shown.state : 'following'}>
        {follow.kind === 'following'
          ? t('consent.follow.waiting', { recipient: props.recipient })
          : t('consent.follow.overall', { state: t(`consent.follow.state.${shown.state}`), status: shown.status })}
      </p>
      <ul className="consent-datasets">
        {shown.datasets.map((d) => (
          <li key={d.id} data-dataset-id={d.id} data-outcome={d.outcome}>
            {pick(d.name)} ({pick(d.provider.name)}):{' '}
            <strong>{t(`consent.follow.outcome.${d.outcome}`)}</strong>
            {d.code !== null && ` · ${t('consent.follow.code', { code: d.code })}`}
          </li>
        ))}
      </ul>
      {follow.kind === 'failed' && (
        <ErrorView variant="inline" error={follow.error} onRetry={followed.refetch} />
      )}
      {follow.kind === 'done' && <ReturnToProvider outcome={shown} />}
    </div>
  );
}

/** Opens the return address through main, which opens it only on the provider's registered origin. */
function ReturnToProvider(props: { outcome: ConsentOutcome }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'opened' } | { kind: 'failed'; error: AppError }>({ kind: 'idle' });
  const { outcome } = props;
  if (!outcome.returnAllowed || outcome.returnHost === null) return <p>{t('consent.return.notAllowed')}</p>;
  return (
    <>
      <p>
        <button
          type="button"
          className="button"
          onClick={() => {
            invoke('consent:open-return', { txId: outcome.txId }).then(
              () => { setState({ kind: 'opened' }); },
              (error: unknown) => { setState({ kind: 'failed', error: toAppError(error) }); },
            );
          }}
        >
          {t('consent.return.button', { host: outcome.returnHost })}
        </button>
      </p>
      <p role="status">{state.kind === 'opened' ? t('consent.return.opened') : ''}</p>
      {state.kind === 'failed' && <ErrorView variant="inline" error={state.error} />}
    </>
  );
}
