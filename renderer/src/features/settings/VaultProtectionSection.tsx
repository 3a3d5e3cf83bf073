// Settings › Vault protection: the system keychain or a passphrase, switched both ways only after confirming with
// the current protection (the keychain is asked again by main; a passphrase is typed again).
import { useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import type { AppError, VaultProtectionChange, VaultProtectionInfo } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import './vault-protection.css';

type Mode = 'toPassphrase' | 'change' | 'toKeychain';

export function VaultProtectionSection() {
  const { t } = useI18n();
  const [info, setInfo] = useState<VaultProtectionInfo | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<'os' | 'passphrase' | null>(null);
  const headingId = useId();
  const load = useCallback(() => {
    setError(null);
    invoke('vault:protection', {}).then(setInfo, (e: unknown) => setError(toAppError(e)));
  }, []);
  useEffect(load, [load]);

  const changed = (protection: 'os' | 'passphrase') => {
    setDone(protection);
    load();
  };

  return (
    <section className="settings-section" aria-labelledby={headingId} data-testid="vault-protection">
      <h2 id={headingId}>{t('settings.vault.heading')}</h2>
      <p>{t('settings.vault.intro')}</p>
      {error && <ErrorView variant="inline" error={error} onRetry={load} />}
      {info === null && !error && <p role="status">{t('settings.vault.loading')}</p>}
      {info && (
        <>
          <p data-testid="vault-protection-current" data-protection={info.protection ?? 'locked'}>
            {info.protection === null ? t('settings.vault.current.locked') : t(`settings.vault.current.${info.protection}`)}
          </p>
          <p role="status">{done ? t(`settings.vault.done.${done}`) : ''}</p>
          {info.protection === 'os' && <ProtectionForm mode="toPassphrase" minLength={info.minLength} onChanged={changed} />}
          {info.protection === 'passphrase' && (
            <>
              <ProtectionForm mode="change" minLength={info.minLength} onChanged={changed} />
              {info.keychainAvailable ? <ProtectionForm mode="toKeychain" minLength={info.minLength} onChanged={changed} /> : <p>{t('settings.vault.keychainUnavailable')}</p>}
            </>
          )}
        </>
      )}
    </section>
  );
}

function ProtectionForm(props: { mode: Mode; minLength: number; onChanged: (protection: 'os' | 'passphrase') => void }) {
  const { t } = useI18n();
  const { mode } = props;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [understood, setUnderstood] = useState(false);
  const [mismatch, setMismatch] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const ids = { heading: useId(), current: useId(), next: useId(), again: useId(), understand: useId() };
  const needsCurrent = mode !== 'toPassphrase';
  const needsNew = mode !== 'toKeychain';
  const heading = { toPassphrase: 'settings.vault.toPassphrase.heading', change: 'settings.vault.change.heading', toKeychain: 'settings.vault.toKeychain.heading' } as const;
  const submitLabel = { toPassphrase: 'settings.vault.submit.toPassphrase', change: 'settings.vault.submit.change', toKeychain: 'settings.vault.submit.toKeychain' } as const;

  const submit = (event: SyntheticEvent) => {
    event.preventDefault();
    if (needsNew && next !== again) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const request: VaultProtectionChange =
      mode === 'toKeychain'
        ? { to: 'os', current, confirm: true }
        : mode === 'change'
          ? { to: 'passphrase', passphrase: next, current, confirm: true }
          : { to: 'passphrase', passphrase: next, confirm: true };
    setWorking(true);
    setError(null);
    invoke('vault:protection-change', request).then(
      (status) => {
        setWorking(false);
        setCurrent('');
        setNext('');
        setAgain('');
        if (status.state === 'ready') props.onChanged(status.protection);
        else if (status.state === 'error') setError(status.error);
      },
      (e: unknown) => {
        setWorking(false);
        setError(toAppError(e));
      },
    );
  };

  return (
    <form className="settings-subsection" aria-labelledby={ids.heading} onSubmit={submit} data-testid={`vault-protection-${mode}`}>
      <h3 id={ids.heading}>{t(heading[mode])}</h3>
      {mode === 'toPassphrase' && <p>{t('settings.vault.toPassphrase.intro')}</p>}
      {mode === 'toKeychain' && <p>{t('settings.vault.toKeychain.intro')}</p>}
      {needsCurrent && (
        <>
          <label htmlFor={ids.current}>{t('settings.vault.currentPassphrase')}</label>
          <input id={ids.current} className="text-input" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </>
      )}
      {needsNew && (
        <>
          <label htmlFor={ids.next}>{t('settings.vault.newPassphrase', { min: props.minLength })}</label>
          <input id={ids.next} className="text-input" type="password" autoComplete="new-password" required minLength={props.minLength} value={next} onChange={(e) => setNext(e.target.value)} />
          <label htmlFor={ids.again}>{t('settings.vault.confirmPassphrase')}</label>
          <input id={ids.again} className="text-input" type="password" autoComplete="new-password" required aria-invalid={mismatch} value={again} onChange={(e) => setAgain(e.target.value)} />
        </>
      )}
      {mode === 'toPassphrase' && (
        <div className="settings-check">
          <input id={ids.understand} type="checkbox" required checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
          <label htmlFor={ids.understand}>{t('settings.vault.understand')}</label>
        </div>
      )}
      <p role="status">{working ? t('settings.vault.working') : ''}</p>
      {mismatch && (
        <p role="alert" className="field-error">
          {t('settings.vault.mismatch')}
        </p>
      )}
      {error && <ErrorView variant="inline" error={error} />}
      <button type="submit" className="button" disabled={working}>
        {t(submitLabel[mode])}
      </button>
    </form>
  );
}
