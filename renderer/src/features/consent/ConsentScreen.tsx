// The consent screen (G5, G7, G10, G11, G16): status gate, who receives the data, purpose, the full terms (controls stay
// disabled until shown in full), fields grouped by data provider with optional ones declinable, the verification needed,
// then an explicit Consent or Refuse, a one-sentence confirmation, and what followed.
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, ConsentOutcome, ConsentView } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { Dialog, ErrorView } from '../../components/index.ts';
import { otherLanguage, useI18n } from '../../i18n/index.ts';
import { methodKey, useIdentitySession, VerificationStep } from '../identity/index.ts';
import { confirmationParams, consentWait, declinedFields, reachedEnd, sha256Hex, taipeiTime } from './model.ts';
import { Outcome } from './Outcome.tsx';
import './consent.css';

type Phase =
  | { readonly kind: 'deciding' }
  | { readonly kind: 'sending'; readonly decision: 'consent' | 'refuse' }
  | { readonly kind: 'done'; readonly outcome: ConsentOutcome }
  | { readonly kind: 'failed'; readonly error: AppError };

export function ConsentScreen(props: { view: ConsentView; onReload: () => void }) {
  const { view, onReload } = props;
  const { t, language } = useI18n();
  const ids = useId();
  const [termsShown, setTermsShown] = useState(false);
  const [expanded, setExpanded] = useState(false);
  const [declined, setDeclined] = useState<ReadonlySet<string>>(new Set());
  const [agreed, setAgreed] = useState(false);
  const [confirming, setConfirming] = useState<'consent' | 'refuse' | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'deciding' });
  const termsRef = useRef<HTMLDivElement>(null);
  const resultRef = useRef<HTMLHeadingElement>(null);
  const session = useIdentitySession();

  // A change of session (a step-up elsewhere, a sign-out) changes what this screen may do.
  useEffect(() => subscribe('identity:changed', () => { onReload(); }), [onReload]);

  // Terms short enough to fit are shown in full as soon as they are on screen.
  useEffect(() => {
    const box = termsRef.current;
    if (box && reachedEnd(box)) setTermsShown(true);
  }, []);

  useEffect(() => {
    if (phase.kind === 'done' || phase.kind === 'failed') resultRef.current?.focus();
  }, [phase.kind]);

  const fitOk = view.identity.verified;
  const wait = consentWait({ termsShown, fitOk, agreed });
  const gate = view.gate;

  const decide = async (decision: 'consent' | 'refuse'): Promise<void> => {
    setConfirming(null);
    setPhase({ kind: 'sending', decision });
    try {
      const outcome = await invoke('consent:submit', {
        serviceId: view.serviceId,
        ...(view.request ? { requestUri: view.request.requestUri } : {}),
        termsShownSha256: await sha256Hex(view.terms.text),
        declined: decision === 'consent' ? declinedFields(view, declined) : [],
        decision,
      });
      setPhase({ kind: 'done', outcome });
    } catch (error) {
      setPhase({ kind: 'failed', error: toAppError(error) });
    }
  };

  const warnings = gate.warnings.map((w) => (
    <div key={w.code} className="consent-warning" data-warning-code={w.code}>
      <p className="consent-warning-title">{t('consent.gate.warning')}</p>
      <p lang={language}>{w.message}</p>
    </div>
  ));

  return (
    <div className="consent" data-service-id={view.serviceId} data-kind={view.kind}>
      <p>{t('consent.intro')}</p>
      {warnings}
      {!gate.allowed && gate.refusal && (
        <div className="consent-blocked" role="alert" data-refusal-code={gate.refusal.code}>
          <p className="consent-warning-title">{t('consent.gate.blocked')}</p>
          <p lang={language}>{gate.refusal.message}</p>
          <p lang={otherLanguage(language)}>{gate.refusal.otherMessage}</p>
          {(gate.since !== null || gate.until !== null) && (
            <p>
              {gate.since !== null && t('consent.gate.since', { time: taipeiTime(gate.since) })}
              {gate.since !== null && ' · '}
              {gate.until !== null ? t('consent.gate.until', { time: taipeiTime(gate.until) }) : t('consent.gate.noEnd')}
            </p>
          )}
        </div>
      )}

      <section aria-labelledby={`${ids}-recipient`}>
        <h2 id={`${ids}-recipient`}>{view.request ? t('consent.request.heading') : t('consent.recipient.heading')}</h2>
        {view.recipient.kind === 'self' ? (
          <p>{t('consent.recipient.self')}</p>
        ) : (
          <dl className="facts">
            <dt>{t('consent.request.provider')}</dt>
            <dd data-testid="consent-provider">{view.recipient.name}</dd>
            <dt>{t('consent.request.category')}</dt>
            <dd>{view.recipient.category}</dd>
            <dt>{t('consent.request.retention')}</dt>
            <dd>{view.recipient.retention ?? t('consent.request.noRetention')}</dd>
            {view.request && (
              <>
                <dt>{t('consent.request.returnHost')}</dt>
                <dd>
                  <span data-testid="consent-return-host">{view.request.returnHost}</span>{' '}
                  {view.request.returnAllowed ? t('consent.request.returnOk') : <strong>{t('consent.request.returnBad')}</strong>}
                </dd>
              </>
            )}
          </dl>
        )}
        {view.request && <p className="muted">{t('consent.request.expires', { time: taipeiTime(view.request.expiresAt) })}</p>}
      </section>

      <section aria-labelledby={`${ids}-purpose`}>
        <h2 id={`${ids}-purpose`}>{t('consent.purpose.heading')}</h2>
        <p data-testid="consent-purpose">{view.purpose}</p>
      </section>

      <section aria-labelledby={`${ids}-terms`}>
        <h2 id={`${ids}-terms`}>{t('consent.terms.heading')}</h2>
        <p>{t('consent.terms.version', { version: view.terms.version })}</p>
        <p className="consent-sha">{t('consent.terms.sha', { sha: view.terms.sha256 })}</p>
        <p id={`${ids}-terms-hint`}>{t('consent.terms.hint')}</p>
        <div
          ref={termsRef}
          className={expanded ? 'consent-terms consent-terms-expanded' : 'consent-terms'}
          // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scrollable region must take focus so the keyboard can scroll it (WCAG 2.1.1)
          tabIndex={0}
          role="region"
          aria-label={t('consent.terms.region')}
          aria-describedby={`${ids}-terms-hint`}
          data-testid="consent-terms"
          onScroll={(event) => {
            if (reachedEnd(event.currentTarget)) setTermsShown(true);
          }}
        >
          <p className="consent-terms-text">{view.terms.text}</p>
        </div>
        {!expanded && (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setExpanded(true);
              setTermsShown(true);
            }}
          >
            {t('consent.terms.expand')}
          </button>
        )}
        <p role="status" className="consent-live">{termsShown ? t('consent.terms.shown') : ''}</p>
      </section>

      <section aria-labelledby={`${ids}-data`}>
        <h2 id={`${ids}-data`}>{t('consent.data.heading')}</h2>
        {view.flaggedCount > 0 && <p className="consent-flag-note">{t('consent.data.flagged', { count: view.flaggedCount })}</p>}
        {view.providers.map((group) => (
          <div key={group.id} className="consent-provider" data-provider-id={group.id}>
            <h3>{t('consent.data.provider', { provider: group.name })}</h3>
            {group.datasets.map((d) => (
              <table key={d.id} className="consent-fields" data-dataset-id={d.id}>
                <caption>
                  {d.name} · {t('consent.data.level', { level: d.levelRequired })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('consent.data.field')}</th>
                    <th scope="col">{t('consent.data.need')}</th>
                    <th scope="col">{t('consent.data.purpose')}</th>
                    <th scope="col">{t('consent.data.give')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.fields.map((f) => {
                    const key = f.key;
                    return (
                      <tr key={f.name} data-field={f.name} data-flagged={f.purpose === null ? 'true' : undefined}>
                        <th scope="row">{f.label}</th>
                        <td>{f.declinable ? t('consent.data.optional') : t('consent.data.required')}</td>
                        <td>{f.purpose === null ? <strong className="consent-flag">※ {t('consent.data.noPurpose')}</strong> : f.purpose}</td>
                        <td>
                          {!f.declinable ? (
                            <span>{t('consent.data.requiredLocked')}</span>
                          ) : (
                            <input
                              type="checkbox"
                              aria-label={t('consent.data.giveOptional', { field: f.label })}
                              checked={!declined.has(key)}
                              disabled={phase.kind !== 'deciding' && phase.kind !== 'failed'}
                              onChange={(event) => {
                                const next = new Set(declined);
                                if (event.currentTarget.checked) next.delete(key);
                                else next.add(key);
                                setDeclined(next);
                              }}
                            />
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ))}
          </div>
        ))}
        <p role="status" className="consent-live">{declined.size > 0 ? t('consent.data.declinedCount', { count: declined.size }) : ''}</p>
      </section>

      {gate.allowed && phase.kind !== 'done' && (
        <section aria-labelledby={`${ids}-identity`}>
          <h2 id={`${ids}-identity`}>{t('consent.identity.heading')}</h2>
          <p>{t('consent.identity.needed', { level: view.identity.requiredLevel })}</p>
          {fitOk && session.status === 'ready' && session.session ? (
            <p data-testid="consent-identity-ok">
              {t('consent.identity.ok', { name: session.session.displayName, method: t(methodKey(session.session.method)), level: session.session.level })}
            </p>
          ) : (
            <>
              {/* The step shows the reason (fit.reason) itself. */}
              <VerificationStep
                need={{
                  subjectType: view.identity.subjectType,
                  requiredLevel: view.identity.requiredLevel,
                  datasets: view.identity.datasets,
                  ...(view.identity.reason ? { reason: view.identity.reason } : {}),
                }}
                headingLevel={3}
                onVerified={() => { onReload(); }}
              />
            </>
          )}
        </section>
      )}

      {gate.allowed && phase.kind !== 'done' && (
        <section aria-labelledby={`${ids}-decide`} className="consent-decide">
          <h2 id={`${ids}-decide`}>{t('consent.decide.heading')}</h2>
          <div className="consent-agree">
            <input
              id={`${ids}-agree`}
              type="checkbox"
              checked={agreed}
              disabled={!termsShown || phase.kind === 'sending'}
              aria-describedby={`${ids}-wait`}
              onChange={(event) => { setAgreed(event.currentTarget.checked); }}
            />
            <label htmlFor={`${ids}-agree`}>{t('consent.decide.agree')}</label>
          </div>
          <p id={`${ids}-wait`} className="consent-wait">
            {wait === 'terms' && t('consent.decide.waitTerms')}
            {wait === 'identity' && t('consent.decide.waitIdentity')}
            {wait === 'agree' && t('consent.decide.waitAgree')}
          </p>
          {!view.identity.mayRefuse && <p>{t('consent.identity.refuseNeedsSession')}</p>}
          <div className="consent-buttons">
            <button
              type="button"
              className="button"
              disabled={wait !== null || phase.kind === 'sending'}
              aria-describedby={`${ids}-wait`}
              onClick={() => { setConfirming('consent'); }}
            >
              {t('consent.decide.consent')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={!view.identity.mayRefuse || phase.kind === 'sending'}
              onClick={() => { setConfirming('refuse'); }}
            >
              {t('consent.decide.refuse')}
            </button>
          </div>
          <p role="status" className="consent-live">{phase.kind === 'sending' ? t('consent.sending') : ''}</p>
        </section>
      )}

      {confirming && (
        <ConfirmDialog
          decision={confirming}
          sentence={t(
            confirming === 'refuse'
              ? view.kind === 'self-download' ? 'consent.confirm.refuseSelf' : 'consent.confirm.refuse'
              : view.kind === 'self-download' ? 'consent.confirm.consentSelf' : 'consent.confirm.consentSp',
            confirmationParams(view, declined, t('consent.recipient.you')),
          )}
          onConfirm={() => { void decide(confirming); }}
          onCancel={() => { setConfirming(null); }}
        />
      )}

      {phase.kind === 'failed' && (
        <section aria-labelledby={`${ids}-failed`}>
          <h2 id={`${ids}-failed`} ref={resultRef} tabIndex={-1}>{t('error.title')}</h2>
          <ErrorView
            variant="inline"
            error={phase.error}
            onRetry={() => {
              setPhase({ kind: 'deciding' });
              onReload();
            }}
          />
        </section>
      )}
      {phase.kind === 'done' && <Outcome outcome={phase.outcome} view={view} headingRef={resultRef} />}
    </div>
  );
}

/** The final confirmation, in the app's one modal dialog (focus stays inside, Escape goes back, focus returns): one sentence saying what goes to whom. */
function ConfirmDialog(props: { decision: 'consent' | 'refuse'; sentence: string; onConfirm: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const sentenceId = useId();
  return (
    <Dialog
      title={props.decision === 'consent' ? t('consent.confirm.consentTitle') : t('consent.confirm.refuseTitle')}
      className="consent-dialog"
      describedBy={sentenceId}
      testId="consent-confirm"
      onClose={props.onCancel}
    >
      <p id={sentenceId} data-testid="consent-confirm-sentence">{props.sentence}</p>
      <div className="consent-buttons">
        <button type="button" className="button" onClick={props.onConfirm}>
          {props.decision === 'consent' ? t('consent.confirm.yesConsent') : t('consent.confirm.yesRefuse')}
        </button>
        <button type="button" className="button button-secondary" onClick={props.onCancel}>
          {t('consent.confirm.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
