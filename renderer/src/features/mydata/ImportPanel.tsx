// Import of what people have from MyData: a signed package, or the official website's download (flat zip, ZipCrypto,
// ID-encrypted PDFs, counter-service zips). Main picks the file (or gets a dropped file's bytes, never a path); the
// national ID is asked once, only when something needs it, and the verdict is said honestly ("no provider signatures").
import { useId, useState, type DragEvent, type SyntheticEvent } from 'react';
import type { AppError, ImportChoice, ImportResult, MyDataErrorCodeValue, PackageView } from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatBytes } from './format.ts';
import { NationalIdField } from './NationalIdField.tsx';

type Chosen = Extract<ImportChoice, { cancelled: false }>;
type State =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'done'; result: ImportResult }
  | { kind: 'failed'; error: AppError }
  /** Intact but not verified: kept only if the person asks, and then always labelled with why. */
  | { kind: 'not-verified'; error: AppError };

const NOT_VERIFIED: MyDataErrorCodeValue = 'MYDATA_IMPORT_NOT_VERIFIED';

/** The contract's limit for a dropped file (IMPORT_OFFER_MAX_BYTES); bigger files go through the picker. */
const DROP_MAX_BYTES = 256 * 1024 * 1024;

/**
 * `embedded`: only the confirm form and the outcome, for a file offered by the journey (`chosen`); the page's own
 * import section keeps the heading, the drop zone and the picker.
 */
export function ImportPanel(props: { onImported: (view: PackageView) => void; chosen?: Chosen | null; onDone?: (result: ImportResult) => void; embedded?: boolean }) {
  const { t, language } = useI18n();
  const [chosenHere, setChosen] = useState<Chosen | null>(null);
  const chosen = chosenHere ?? props.chosen ?? null;
  const [password, setPassword] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const headingId = useId();

  const offered = (promise: Promise<ImportChoice>) => {
    setState({ kind: 'idle' });
    promise.then(
      (choice) => {
        if (choice.cancelled) return;
        setChosen(choice);
        setPassword('');
      },
      (error: unknown) => setState({ kind: 'failed', error: toAppError(error) }),
    );
  };

  const choose = () => offered(invoke('package:import-choose', {}));

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    if (file.size > DROP_MAX_BYTES) {
      setState({
        kind: 'failed',
        error: {
          code: 'RENDERER_IMPORT_DROP_TOO_LARGE',
          message_zh: `拖放的檔案超過 ${formatBytes(DROP_MAX_BYTES, 'zh-TW')}。請改用「選擇要匯入的檔案」。`,
          message_en: `The dropped file is larger than ${formatBytes(DROP_MAX_BYTES, 'en')}. Use "Choose a file to import" instead.`,
          retryable: false,
        },
      });
      return;
    }
    offered(file.arrayBuffer().then((buffer) => invoke('package:import-offer', { fileName: file.name, bytes: new Uint8Array(buffer) })));
  };

  const submit = (keepUnverified: boolean) => {
    if (!chosen) return;
    setState({ kind: 'working' });
    const payload = { token: chosen.token, ...(chosen.encrypted ? { password } : {}), ...(keepUnverified ? { keepUnverified } : {}) };
    invoke('package:import', payload).then(
      (result) => {
        setPassword('');
        setChosen(null);
        setState({ kind: 'done', result });
        props.onImported(result.package);
        props.onDone?.(result);
      },
      (error: unknown) => {
        const appError = toAppError(error);
        // The ID stays only while the person decides whether to keep an intact, not-verified package.
        if (appError.code === NOT_VERIFIED) {
          setState({ kind: 'not-verified', error: appError });
          return;
        }
        setPassword('');
        setState({ kind: 'failed', error: appError });
      },
    );
  };

  const run = (event: SyntheticEvent) => {
    event.preventDefault();
    submit(false);
  };

  const done = state.kind === 'done' ? state.result : null;
  // Once imported, the journey's offered file is spent: do not show its form again.
  const showForm = chosen !== null && !(props.embedded === true && done !== null && chosenHere === null);
  const name = done ? (done.package.origin?.fileName ?? done.package.service.name.zh) : '';
  const notVerified = done?.package.providers.some((p) => p.badge === 'no-known-signer') ?? false;
  const unrecognised = done?.package.providers.some((p) => p.badge === 'issuer-not-recognised') ?? false;
  return (
    <section className="mydata-section" aria-labelledby={props.embedded === true ? undefined : headingId} aria-label={props.embedded === true ? t('mydata.import.heading') : undefined}>
      {props.embedded !== true && (
        <>
      <h2 id={headingId}>{t('mydata.import.heading')}</h2>
      <p>{t('mydata.import.intro')}</p>
      {/* eslint-disable-next-line jsx-a11y/no-static-element-interactions -- dropping is a pointer convenience; the button inside is the keyboard and screen-reader way to the same import */}
      <div
        className="mydata-dropzone"
        data-over={over}
        data-testid="import-dropzone"
        onDragOver={(event) => {
          event.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <p>{t('mydata.import.drop')}</p>
        <button type="button" className="button" onClick={choose} disabled={state.kind === 'working'}>
          {t('mydata.import.choose')}
        </button>
      </div>
        </>
      )}
      {chosen && showForm && (
        <form className="mydata-import-form" onSubmit={run}>
          <p>{t('mydata.import.chosen', { name: chosen.fileName, size: formatBytes(chosen.size, language) })}</p>
          {chosen.layout === 'website' && <p>{t('mydata.import.websiteLayout')}</p>}
          {chosen.encrypted && (
            <>
              <p>{t('mydata.import.encrypted')}</p>
              <NationalIdField label={t('mydata.import.password')} hint={t('mydata.import.passwordHint')} value={password} onChange={setPassword} />
            </>
          )}
          <button type="submit" className="button" disabled={state.kind === 'working'}>
            {t('mydata.import.run')}
          </button>
        </form>
      )}
      <div role="status" className="mydata-import-status">
        {state.kind === 'working' && <p>{t('mydata.import.working')}</p>}
        {done?.verdict === 'unsigned' && (
          <>
            <p data-verdict="unsigned">{t('mydata.import.doneUnsigned', { name })}</p>
            <p>
              {t('mydata.import.digestExplained')} <span className="mydata-digest">{done.sha256}</span>
            </p>
          </>
        )}
        {done && done.verdict !== 'unsigned' && <p data-verdict={done.verdict ?? (done.ok ? 'verified' : 'not-verified')}>{notVerified ? t('mydata.import.doneNotVerified', { name }) : unrecognised ? t('mydata.import.doneUnrecognised', { name }) : t('mydata.import.done', { name })}</p>}
      </div>
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
