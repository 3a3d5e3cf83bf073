// My data (G12): downloads in progress, import from the MyData website, the kept packages, and one package's detail (?package=<id>).
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { AppError, PackageView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { Downloads, useDownloadTasks } from './Downloads.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { Journey } from './Journey.tsx';
import { PackageDetail } from './PackageDetail.tsx';
import { PackageList } from './PackageList.tsx';
import { PendingDownloads } from './PendingDownloads.tsx';
import { VaultGate } from './VaultGate.tsx';
import './mydata.css';

export function MyDataPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('mydata.title')}</PageHeading>
      <p>{t('mydata.intro')}</p>
      {/* Receipts of every consent and refusal are kept with the person's data (G12). */}
      <p>
        <Link to="/my-data/receipts">{t('receipts.fromMyData')}</Link>
      </p>
      <VaultGate>
        <MyDataContent />
      </VaultGate>
    </>
  );
}

function MyDataContent() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const openId = params.get('package');
  const [packages, setPackages] = useState<PackageView[] | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [message, setMessage] = useState('');

  const reload = useCallback(() => {
    invoke('package:list', {}).then(
      (list) => {
        setPackages(list);
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, []);
  useEffect(reload, [reload]);
  const tasks = useDownloadTasks(reload);

  const open = (id: string) => {
    setMessage('');
    setParams({ package: id });
  };
  const back = () => setParams({});
  const dismiss = (taskId: string) => {
    invoke('package:dismiss', { taskId }).catch(() => undefined);
    reload();
  };

  const current = openId === null ? null : (packages?.find((p) => p.id === openId) ?? null);
  return (
    <>
      <p role="status" className="mydata-notice">
        {message}
      </p>
      {error && <ErrorView variant="inline" error={error} onRetry={reload} />}
      {openId !== null && packages !== null && current === null && (
        <>
          <p>{t('mydata.detail.notFound')}</p>
          <button type="button" className="button button-quiet" onClick={back}>
            {t('mydata.detail.back')}
          </button>
        </>
      )}
      {current !== null ? (
        <PackageDetail
          key={current.id}
          view={current}
          onBack={back}
          onDeleted={(text) => {
            setMessage(text);
            back();
            reload();
          }}
        />
      ) : (
        openId === null && (
          <>
            <Downloads tasks={tasks} onDismiss={(id) => dismiss(id)} onOpen={open} />
            <PendingDownloads tasks={tasks} />
            {packages === null ? <p role="status">{t('mydata.loading')}</p> : <PackageList packages={packages} onOpen={open} />}
            <Journey onImported={() => reload()} />
            <ImportPanel
              onImported={() => {
                reload();
              }}
            />
          </>
        )
      )}
    </>
  );
}
