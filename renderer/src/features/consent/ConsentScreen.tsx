// The consent screen (G5, G7, G10, G11, G16): status gate, who receives the data, purpose, the full terms (controls stay
// disabled until shown in full), fields grouped by data provider with optional ones declinable, the verification needed,
// then an explicit Consent or Refuse, a one-sentence confirmation, and what followed.
import { useEffect, useId, useRef, useState } from 'react';
import type { AppError, ConsentContext, ConsentOutcome } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { Dialog, ErrorView } from '../../components/index.ts';
import { otherLanguage, useI18n } from '../../i18n/index.ts';
import { methodKey, useIdentitySession, VerificationStep } from '../identity/index.ts';
import { canRefuse, confirmationParams, listSeparator, consentWait, declinedFields, fieldKey, groupByProvider, reachedEnd, requiredLevel, sha256Hex, taipeiTime } from './model.ts';
import { Outcome } from './Outcome.tsx';
import './consent.css';

type Phase =
  | { readonly kind: 'deciding' }
  | { readonly kind: 'sending'; readonly decision: 'consent' | 'refuse' }
  | { readonly kind: 'done'; readonly outcome: ConsentOutcome }
  | { readonly kind: 'failed'; readonly error: AppError };

export function ConsentScreen(props: { context: ConsentContext; onReload: () => void }) {
  const { context, onReload } = props;
  const { t, language } = useI18n();
  const ids = useId();
  const s = context.service;
  const zh = language === 'zh-TW';
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

  const fitOk = context.fit.kind === 'ok';
  const wait = consentWait({ termsShown, fitOk, agreed });
  const sep = listSeparator(language);
  const gate = context.gate;
  const pick = (o: { name_zh: string; name_en: string }) => (zh ? o.name_zh : o.name_en);

  const decide = async (decision: 'consent' | 'refuse'): Promise<void> => {
    setConfirming(null);
    setPhase({ kind: 'sending', decision });
    try {
      const outcome = await invoke('consent:submit', {
        serviceId: s.id,
        ...(context.request ? { requestUri: context.request.requestUri } : {}),
        termsShownSha256: await sha256Hex(s.terms.text),
        declined: decision === 'consent' ? declinedFields(s, declined) : [],
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
      <p lang={language}>{zh ? w.message_zh : w.message_en}</p>
    </div>
  ));

  return (
    <div className="consent" data-service-id={s.id} data-kind={s.kind}>
      <p>{t('consent.intro')}</p>
      {warnings}
      {!gate.allowed && gate.refusal && (
        <div className="consent-blocked" role="alert" data-refusal-code={gate.refusal.code}>
          <p className="consent-warning-title">{t('consent.gate.blocked')}</p>
          <p lang={language}>{zh ? gate.refusal.message_zh : gate.refusal.message_en}</p>
          <p lang={otherLanguage(language)}>{zh ? gate.refusal.message_en : gate.refusal.message_zh}</p>
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
        <h2 id={`${ids}-recipient`}>{context.request ? t('consent.request.heading') : t('consent.recipient.heading')}</h2>
        {s.kind === 'self-download' ? (
          <p>{t('consent.recipient.self')}</p>
        ) : (
          <dl className="facts">
            <dt>{t('consent.request.provider')}</dt>
            <dd data-testid="consent-provider">{pick(s.organization)}</dd>
            <dt>{t('consent.request.category')}</dt>
            <dd>{zh ? s.organization.approving_authority_zh : s.organization.approving_authority_en}</dd>
            <dt>{t('consent.request.retention')}</dt>
            <dd>{(zh ? s.retention_zh : s.retention_en) ?? t('consent.request.noRetention')}</dd>
            {context.request && (
              <>
                <dt>{t('consent.request.returnHost')}</dt>
                <dd>
                  <span data-testid="consent-return-host">{context.request.returnHost}</span>{' '}
                  {context.request.returnAllowed ? t('consent.request.returnOk') : <strong>{t('consent.request.returnBad')}</strong>}
                </dd>
              </>
            )}
          </dl>
        )}
        {context.request && <p className="muted">{t('consent.request.expires', { time: taipeiTime(context.request.expiresAt) })}</p>}
      </section>

      <section aria-labelledby={`${ids}-purpose`}>
        <h2 id={`${ids}-purpose`}>{t('consent.purpose.heading')}</h2>
        <p data-testid="consent-purpose">{context.request ? (zh ? context.request.purpose.zh : context.request.purpose.en) : zh ? s.purpose_zh : s.purpose_en}</p>
      </section>

      <section aria-labelledby={`${ids}-terms`}>
        <h2 id={`${ids}-terms`}>{t('consent.terms.heading')}</h2>
        <p>{t('consent.terms.version', { version: s.terms.version })}</p>
        <p className="consent-sha">{t('consent.terms.sha', { sha: s.terms.sha256 })}</p>
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
          <p className="consent-terms-text">{s.terms.text}</p>
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
        {context.flags.length > 0 && <p className="consent-flag-note">{t('consent.data.flagged', { count: context.flags.length })}</p>}
        {groupByProvider(s.datasets).map((group) => (
          <div key={group.provider.id} className="consent-provider" data-provider-id={group.provider.id}>
            <h3>{t('consent.data.provider', { provider: pick(group.provider) })}</h3>
            {group.datasets.map((d) => (
              <table key={d.id} className="consent-fields" data-dataset-id={d.id}>
                <caption>
                  {pick(d)} · {t('consent.data.level', { level: d.level_required })}
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
                    const key = fieldKey(d.id, f.name);
                    const label = zh ? f.label_zh : f.label_en;
                    const purpose = zh ? f.purpose_zh : f.purpose_en;
                    const flagged = context.flags.some((x) => x.dataset === d.id && x.field === f.name);
                    return (
                      <tr key={f.name} data-field={f.name} data-flagged={flagged ? 'true' : undefined}>
                        <th scope="row">{label}</th>
                        <td>{f.required ? t('consent.data.required') : t('consent.data.optional')}</td>
                        <td>{flagged || !purpose ? <strong className="consent-flag">※ {t('consent.data.noPurpose')}</strong> : purpose}</td>
                        <td>
                          {f.required ? (
                            <span>{t('consent.data.requiredLocked')}</span>
                          ) : (
                            <input
                              type="checkbox"
                              aria-label={t('consent.data.giveOptional', { field: label })}
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
          <p>{t('consent.identity.needed', { level: requiredLevel(s) })}</p>
          {fitOk && session.status === 'ready' && session.session ? (
            <p data-testid="consent-identity-ok">
              {t('consent.identity.ok', { name: session.session.displayName, method: t(methodKey(session.session.method)), level: session.session.level })}
            </p>
          ) : (
            <>
              {/* The step shows the reason (fit.reason) itself. */}
              <VerificationStep
                need={{
                  subjectType: s.subject_type,
                  requiredLevel: requiredLevel(s),
                  datasets: s.datasets.map((d) => d.id),
                  ...(context.fit.kind !== 'ok' ? { reason: context.fit.reason } : {}),
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
          {!canRefuse(context.fit) && <p>{t('consent.identity.refuseNeedsSession')}</p>}
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
              disabled={!canRefuse(context.fit) || phase.kind === 'sending'}
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
              ? s.kind === 'self-download' ? 'consent.confirm.refuseSelf' : 'consent.confirm.refuse'
              : s.kind === 'self-download' ? 'consent.confirm.consentSelf' : 'consent.confirm.consentSp',
            confirmationParams(context, declined, language, sep, t('consent.recipient.you')),
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
      {phase.kind === 'done' && <Outcome outcome={phase.outcome} context={context} headingRef={resultRef} />}
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
