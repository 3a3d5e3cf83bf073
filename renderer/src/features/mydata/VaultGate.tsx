// Opens the vault before anything is shown; on Linux without a keyring it asks for (or to set) a vault passphrase.
import { useCallback, useEffect, useId, useState, type SyntheticEvent, type ReactNode } from 'react';
import type { AppError, VaultStatus } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export function VaultGate(props: { children: ReactNode }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<VaultStatus | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const load = useCallback(() => {
    setError(null);
    invoke('vault:status', {}).then(setStatus, (e: unknown) => setError(toAppError(e)));
  }, []);
  useEffect(load, [load]);

  if (error) return <ErrorView variant="inline" error={error} onRetry={load} />;
  if (status === null) return <p role="status">{t('mydata.loading')}</p>;
  if (status.state === 'ready') return <>{props.children}</>;
  if (status.state === 'error') return <ErrorView variant="inline" error={status.error} onRetry={load} />;
  return <PassphraseForm isNew={status.state === 'needs-new-passphrase'} minLength={status.state === 'needs-new-passphrase' ? status.minLength : 1} onReady={setStatus} />;
}

function PassphraseForm(props: { isNew: boolean; minLength: number; onReady: (status: VaultStatus) => void }) {
  const { t } = useI18n();
  const [passphrase, setPassphrase] = useState('');
  const [again, setAgain] = useState('');
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [mismatch, setMismatch] = useState(false);
  const firstId = useId();
  const secondId = useId();

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (props.isNew && passphrase !== again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    setWorking(true);
    setError(null);
    invoke('vault:passphrase', { passphrase }).then(
      (status) => {
        setWorking(false);
        setPassphrase('');
        setAgain('');
        props.onReady(status);
      },
      (e: unknown) => {
        setWorking(false);
        setError(toAppError(e));
      },
    );
  };

  return (
    <form className="mydata-section mydata-passphrase" onSubmit={submit}>
      <h2>{props.isNew ? t('mydata.vault.newHeading') : t('mydata.vault.unlockHeading')}</h2>
      <p>{props.isNew ? t('mydata.vault.newIntro') : t('mydata.vault.unlockIntro')}</p>
      <label htmlFor={firstId}>{props.isNew ? t('mydata.vault.passphrase', { min: props.minLength }) : t('mydata.vault.unlockLabel')}</label>
      <input id={firstId} className="text-input" type="password" autoComplete={props.isNew ? 'new-password' : 'current-password'} required minLength={props.minLength} value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
      {props.isNew && (
        <>
          <label htmlFor={secondId}>{t('mydata.vault.confirm')}</label>
          <input id={secondId} className="text-input" type="password" autoComplete="new-password" required value={again} aria-invalid={mismatch} onChange={(e) => setAgain(e.target.value)} />
        </>
      )}
      <p role="status">{working ? t('mydata.vault.working') : ''}</p>
      {mismatch && (
        <p role="alert" className="field-error">
          {t('mydata.vault.mismatch')}
        </p>
      )}
      {error && <ErrorView variant="inline" error={error} />}
      <button type="submit" className="button" disabled={working}>
        {props.isNew ? t('mydata.vault.set') : t('mydata.vault.unlock')}
      </button>
    </form>
  );
}
