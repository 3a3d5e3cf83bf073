// One package: facts, each provider's verdict, each file (JSON as tables, PDF in the viewer; any file saved to a picked folder), export and delete with confirmation.
import { lazy, Suspense, useState } from 'react';
import type { AppError, PackageFileView, PackageView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { Badge } from './Badge.tsx';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { formatBytes, formatInstant } from './format.ts';
import { PdfViewer } from './PdfViewer.tsx';

// The readable dataset views are heavy and only needed once a file is opened: loaded on demand.
const DatasetView = lazy(() => import('../datasets/DatasetView.tsx'));

type Notice = { kind: 'none' } | { kind: 'ok'; text: string } | { kind: 'error'; error: AppError };

export function PackageDetail(props: { view: PackageView; onBack: () => void; onDeleted: (message: string) => void }) {
  const { t, language, pick, pickField } = useI18n();
  const { view } = props;
  const [confirm, setConfirm] = useState<'export' | 'delete' | null>(null);
  const [notice, setNotice] = useState<Notice>({ kind: 'none' });

  const exportAll = () => {
    setConfirm(null);
    invoke('package:export', { id: view.id }).then(
      (result) => {
        if (!result.cancelled) setNotice({ kind: 'ok', text: t('mydata.detail.exported', { count: result.files.length, path: result.folder }) });
      },
      (error: unknown) => setNotice({ kind: 'error', error: toAppError(error) }),
    );
  };
  const remove = () => {
    setConfirm(null);
    invoke('package:delete', { id: view.id }).then(
      () => props.onDeleted(t('mydata.detail.deleted')),
      (error: unknown) => setNotice({ kind: 'error', error: toAppError(error) }),
    );
  };
  const saveFile = (file: PackageFileView) => {
    invoke('package:export-file', { id: view.id, name: file.name }).then(
      (result) => {
        if (!result.cancelled) setNotice({ kind: 'ok', text: t('mydata.detail.saved', { path: result.files[0] ?? result.folder }) });
      },
      (error: unknown) => setNotice({ kind: 'error', error: toAppError(error) }),
    );
  };

  return (
    <article className="mydata-detail" data-testid="package-detail">
      <p>
        <button type="button" className="button button-quiet" onClick={props.onBack}>
          ← {t('mydata.detail.back')}
        </button>
      </p>
      <h2>{pick(view.service.name)}</h2>
      <dl className="facts">
        <dt>{t('mydata.detail.source')}</dt>
        <dd>{t(`mydata.source.${view.source}`)}</dd>
        {view.txId !== null && (
          <>
            <dt>{t('mydata.detail.tx')}</dt>
            <dd>
              <code>{view.txId}</code>
            </dd>
          </>
        )}
        {view.receivedAt !== null && (
          <>
            <dt>{t('mydata.detail.received')}</dt>
            <dd>{formatInstant(view.receivedAt, language)}</dd>
          </>
        )}
        <dt>{t('mydata.detail.stored')}</dt>
        <dd>{formatInstant(view.storedAt, language)}</dd>
        <dt>{t('mydata.detail.size')}</dt>
        <dd>{formatBytes(view.totalSize, language)}</dd>
      </dl>

      <h3>{t('mydata.detail.providers')}</h3>
      <ul className="mydata-provider-list">
        {view.providers.map((p) => (
          <li key={p.resourceId} data-testid="provider-verdict" data-badge={p.badge}>
            <p className="mydata-provider-name">
              {pick(p.dataset)} <Badge badge={p.badge} />
            </p>
            <dl className="facts">
              <dt>{t('mydata.detail.provider')}</dt>
              <dd>{p.provider ? pick(p.provider) : t('mydata.detail.unknownProvider')}</dd>
              {p.code !== null && (
                <>
                  <dt>{t('mydata.detail.code')}</dt>
                  <dd>{p.code}</dd>
                </>
              )}
              {p.signer !== null && (
                <>
                  <dt>{t('mydata.detail.signer')}</dt>
                  <dd className="mydata-dn">{p.signer}</dd>
                </>
              )}
              {p.issuer !== null && (
                <>
                  <dt>{t('mydata.detail.issuer')}</dt>
                  <dd className="mydata-dn">{p.issuer}</dd>
                </>
              )}
            </dl>
            {p.errors.map((e, i) => (
              <p key={i} className="mydata-verdict-note" data-error-code={e.code}>
                {pickField(e, 'message')}
              </p>
            ))}
          </li>
        ))}
      </ul>

      <h3>{t('mydata.detail.files')}</h3>
      <ul className="mydata-files">
        {view.files.map((file) => (
          <FileItem key={file.name} id={view.id} file={file} onSave={saveFile} />
        ))}
      </ul>

      <div className="mydata-actions">
        <button type="button" className="button" onClick={() => setConfirm('export')}>
          {t('mydata.detail.export')}
        </button>
        <button type="button" className="button button-danger" onClick={() => setConfirm('delete')}>
          {t('mydata.detail.delete')}
        </button>
      </div>
      <p role="status" className="mydata-notice">
        {notice.kind === 'ok' && notice.text}
      </p>
      {notice.kind === 'error' && <ErrorView variant="inline" error={notice.error} />}

      {confirm === 'export' && (
        <ConfirmDialog
          title={t('mydata.detail.exportTitle')}
          body={t('mydata.detail.exportBody')}
          confirm={t('mydata.detail.exportConfirm')}
          cancel={t('mydata.detail.cancel')}
          onConfirm={exportAll}
          onCancel={() => setConfirm(null)}
        />
      )}
      {confirm === 'delete' && (
        <ConfirmDialog
          title={t('mydata.detail.deleteTitle')}
          body={t('mydata.detail.deleteBody')}
          confirm={t('mydata.detail.deleteConfirm')}
          cancel={t('mydata.detail.cancel')}
          danger
          onConfirm={remove}
          onCancel={() => setConfirm(null)}
        />
      )}
    </article>
  );
}

function FileItem(props: { id: string; file: PackageFileView; onSave: (file: PackageFileView) => void }) {
  const { t, language } = useI18n();
  const { file } = props;
  const [open, setOpen] = useState(false);
  const tabular = file.kind === 'json' || file.kind === 'csv';
  const short = file.name.split('/').slice(1).join('/') || file.name;


  return (
    <li className="mydata-file" data-testid="package-file" data-kind={file.kind}>
      <p>
        <span className="mydata-file-name">{short}</span> <span className="mydata-muted">({formatBytes(file.size, language)})</span>
      </p>
      <div className="mydata-actions">
        {tabular && (
          <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('mydata.detail.hide') : t('mydata.detail.show')}
          </button>
        )}
        {file.kind === 'pdf' && (
          <button type="button" className="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? t('mydata.detail.hidePdf') : t('mydata.detail.showPdf')}
          </button>
        )}
        <button type="button" className="button button-quiet" aria-label={t('mydata.detail.saveLabel', { name: short })} onClick={() => props.onSave(file)}>
          {t('mydata.detail.save')}
        </button>
      </div>
      {open && file.kind === 'pdf' && <PdfViewer id={props.id} name={file.name} label={short} onSave={() => props.onSave(file)} />}
      {open && tabular && (
        <Suspense fallback={<p role="status">{t('datasets.loading')}</p>}>
          <DatasetView id={props.id} name={file.name} label={short} />
        </Suspense>
      )}
    </li>
  );
}
