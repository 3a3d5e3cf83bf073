// Receipts under My data (G12): the list, one receipt in full, and its PDF saved where main's dialog says.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { AppError } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { useIpcQuery } from '../../app/query.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { taipeiTime } from './model.ts';
import './consent.css';

export function ReceiptsPage() {
  const { t, pick } = useI18n();
  const loaded = useIpcQuery('receipts:list', {});
  const retry = loaded.refetch;
  return (
    <>
      <PageHeading>{t('receipts.title')}</PageHeading>
      <p>{t('receipts.intro')}</p>
      {loaded.status === 'loading' && <p className="loading">{t('receipts.loading')}</p>}
      {loaded.status === 'error' && <ErrorView variant="inline" error={loaded.error} onRetry={retry} />}
      {loaded.status === 'ready' && loaded.data.length === 0 && <p>{t('receipts.empty')}</p>}
      {loaded.status === 'ready' && loaded.data.length > 0 && (
        <table className="receipts-table" aria-label={t('receipts.listLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('receipts.col.time')}</th>
              <th scope="col">{t('receipts.col.service')}</th>
              <th scope="col">{t('receipts.col.decision')}</th>
              <th scope="col">{t('receipts.col.recipient')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded.data.map((r) => (
              <tr key={r.receipt_id} data-receipt-id={r.receipt_id} data-decision={r.decision}>
                <td>
                  <Link to={`/my-data/receipts/${encodeURIComponent(r.receipt_id)}`}>
                    {taipeiTime(r.timestamp)}
                  </Link>
                </td>
                <td>{pick(r.service.name)}</td>
                <td>{t(r.decision === 'consent' ? 'receipts.decision.consent' : 'receipts.decision.refuse')}</td>
                <td>{pick(r.recipient)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

type Save = { readonly kind: 'idle' } | { readonly kind: 'saving' } | { readonly kind: 'saved'; readonly path: string } | { readonly kind: 'canceled' } | { readonly kind: 'failed'; readonly error: AppError };

export function ReceiptPage() {
  const { t, pick, list } = useI18n();
  const { id = '' } = useParams();
  const loaded = useIpcQuery('receipts:get', { id });
  const retry = loaded.refetch;
  const [save, setSave] = useState<Save>({ kind: 'idle' });
  const fields = (items: readonly { label: { zh: string; en: string } }[]) => (items.length ? list(items.map((f) => pick(f.label))) : t('receipts.detail.none'));
  return (
    <>
      <PageHeading>{t('receipts.detail.title', { id })}</PageHeading>
      <p>
        <Link to="/my-data/receipts">{t('receipts.back')}</Link>
      </p>
      {loaded.status === 'loading' && <p className="loading">{t('receipts.loading')}</p>}
      {loaded.status === 'error' && <ErrorView variant="inline" error={loaded.error} onRetry={retry} />}
      {loaded.status === 'ready' && (
        <div className="receipt" data-receipt-id={loaded.data.receipt_id} data-decision={loaded.data.decision}>
          <dl className="facts">
            <dt>{t('receipts.detail.time')}</dt>
            <dd>{taipeiTime(loaded.data.timestamp)}</dd>
            <dt>{t('receipts.detail.decision')}</dt>
            <dd>{t(loaded.data.decision === 'consent' ? 'receipts.decision.consent' : 'receipts.decision.refuse')}</dd>
            <dt>{t('receipts.col.service')}</dt>
            <dd>{pick(loaded.data.service.name)}</dd>
            <dt>{t('receipts.detail.controllers')}</dt>
            <dd>{list(loaded.data.controllers.map((c) => pick(c.name)))}</dd>
            <dt>{t('receipts.detail.recipient')}</dt>
            <dd>{loaded.data.recipient.kind === 'self' ? t('consent.recipient.you') : pick(loaded.data.recipient.name)}</dd>
            <dt>{t('receipts.detail.purpose')}</dt>
            <dd>{pick(loaded.data.purpose)}</dd>
            <dt>{t('receipts.detail.terms')}</dt>
            <dd className="receipt-mono">{loaded.data.terms.version} · {loaded.data.terms.sha256}</dd>
            <dt>{t('receipts.detail.subject')}</dt>
            <dd>{loaded.data.subject.masked_id}</dd>
            <dt>{t('receipts.detail.verification')}</dt>
            <dd>{pick(loaded.data.verification.name)} ({loaded.data.verification.level})</dd>
            <dt>{t('receipts.detail.tx')}</dt>
            <dd className="receipt-mono">{loaded.data.tx_id}</dd>
            <dt>{t('receipts.detail.head')}</dt>
            <dd className="receipt-mono">{loaded.data.history.chain_head}</dd>
          </dl>
          <h2>{t('receipts.detail.categories')}</h2>
          <ul>
            {loaded.data.data_categories.map((c) => (
              <li key={c.dataset.id} data-dataset-id={c.dataset.id}>
                <strong>{pick(c.dataset.name)}</strong> ({pick(c.provider.name)})
                <br />
                {t('receipts.detail.consented', { fields: fields(c.consented) })}
                <br />
                {t('receipts.detail.declined', { fields: fields(c.declined) })}
              </li>
            ))}
          </ul>
          <p>
            <button
              type="button"
              className="button"
              disabled={save.kind === 'saving'}
              onClick={() => {
                setSave({ kind: 'saving' });
                invoke('receipts:save-pdf', { id }).then(
                  (r) => { setSave(r.canceled || r.path === null ? { kind: 'canceled' } : { kind: 'saved', path: r.path }); },
                  (error: unknown) => { setSave({ kind: 'failed', error: toAppError(error) }); },
                );
              }}
            >
              {t('receipts.save')}
            </button>
          </p>
          <p role="status" data-testid="receipt-save-status">
            {save.kind === 'saving' && t('receipts.saving')}
            {save.kind === 'saved' && t('receipts.saved', { path: save.path })}
            {save.kind === 'canceled' && t('receipts.canceled')}
          </p>
          {save.kind === 'failed' && <ErrorView variant="inline" error={save.error} />}
        </div>
      )}
    </>
  );
}
