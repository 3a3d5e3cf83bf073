// Import of a package from the MyData website: main picks the file, the national ID is asked only when the file is encrypted.
import { useId, useState, type SyntheticEvent } from 'react';
import type { AppError, ImportChoice, PackageView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatBytes } from './format.ts';

type Chosen = Extract<ImportChoice, { cancelled: false }>;
type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; view: PackageView; ok: boolean }
  | { kind: 'failed'; error: AppError }
  /** Intact but not verified: kept only if the person asks, and then always labelled with why. */
  | { kind: 'not-verified'; error: AppError };

const NOT_VERIFIED = 'MYDATA_IMPORT_NOT_VERIFIED';

export function ImportPanel(props: { onImported: (view: PackageView) => void }) {
  const { t, language } = useI18n();
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [password, setPassword] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const passwordId = useId();
  const hintId = useId();

  const choose = () => {
    setState({ kind: 'idle' });
    invoke('package:import-choose', {}).then(
      (choice) => {
        if (choice.cancelled) return;
        setChosen(choice);
        setPassword('');
      },
      (error: unknown) => setState({ kind: 'failed', error: toAppError(error) }),
    );
  };

  const submit = (keepUnverified: boolean) => {
    if (!chosen) return;
    setState({ kind: 'working' });
    const payload = { token: chosen.token, ...(chosen.encrypted ? { password } : {}), ...(keepUnverified ? { keepUnverified } : {}) };
    invoke('package:import', payload).then(
      (result) => {
        setPassword('');
        setChosen(null);
        setState({ kind: 'done', view: result.package, ok: result.ok });
        props.onImported(result.package);
      },
      (error: unknown) => {
        const appError = toAppError(error);
        setState(appError.code === NOT_VERIFIED ? { kind: 'not-verified', error: appError } : { kind: 'failed', error: appError });
      },
    );
  };

  const run = (event: SyntheticEvent) => {
    event.preventDefault();
    submit(false);
  };

  const notVerified = state.kind === 'done' && state.view.providers.some((p) => p.badge === 'no-known-signer');
  const unrecognised = state.kind === 'done' && state.view.providers.some((p) => p.badge === 'issuer-not-recognised');
  return (
    <section className="mydata-section" aria-labelledby="mydata-import-heading">
      <h2 id="mydata-import-heading">{t('mydata.import.heading')}</h2>
      <p>{t('mydata.import.intro')}</p>
      <button type="button" className="button" onClick={choose} disabled={state.kind === 'working'}>
        {t('mydata.import.choose')}
      </button>
      {chosen && (
        <form className="mydata-import-form" onSubmit={run}>
          <p>{t('mydata.import.chosen', { name: chosen.fileName, size: formatBytes(chosen.size, language) })}</p>
          {chosen.encrypted && (
            <>
              <p>{t('mydata.import.encrypted')}</p>
              <label htmlFor={passwordId}>{t('mydata.import.password')}</label>
              <input
                id={passwordId}
                className="mydata-input"
                type="password"
                autoComplete="off"
                spellCheck={false}
                maxLength={10}
                required
                aria-describedby={hintId}
                value={password}
                onChange={(event) => setPassword(event.target.value.toUpperCase())}
              />
              <p id={hintId} className="mydata-hint">
                {t('mydata.import.passwordHint')}
              </p>
            </>
          )}
          <button type="submit" className="button" disabled={state.kind === 'working'}>
            {t('mydata.import.run')}
          </button>
        </form>
      )}
      <p role="status" className="mydata-import-status">
        {state.kind === 'working' && t('mydata.import.working')}
        {state.kind === 'done' &&
          (notVerified
            ? t('mydata.import.doneNotVerified', { name: state.view.service.name.zh })
            : unrecognised
              ? t('mydata.import.doneUnrecognised', { name: state.view.service.name.zh })
              : t('mydata.import.done', { name: state.view.service.name.zh }))}
      </p>
      {state.kind === 'failed' && <ErrorView variant="inline" error={state.error} />}
      {state.kind === 'not-verified' && (
        <div className="mydata-import-unverified">
          <ErrorView variant="inline" error={state.error} />
          <p>{t('mydata.import.notVerified')}</p>
          <button type="button" className="button" onClick={() => submit(true)}>
            {t('mydata.import.keepUnverified')}
          </button>
        </div>
      )}
    </section>
  );
}
