// The verification step (G2, G3, G8): choose 個人 or 企業代表, a provider and a method (those below the level shown
// disabled with the reason), wait while the person verifies in the system browser, then the session or the error.
import { useEffect, useId, useReducer, useRef, useState, type RefObject, type SyntheticEvent } from 'react';
import { Link } from 'react-router';
import type { AppError, IdentitySession, MethodId, SubjectType } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { useIpcQuery, type QueryState } from '../../app/query.ts';
import { ErrorView, RadioGroup, type RadioOption } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import {
  ANY_LEVEL,
  bilingual,
  errorAdvice,
  flowReducer,
  formatTime,
  initialFlow,
  inOrder,
  pickMethod,
  pickProvider,
  qualifyingChoices,
  type Flow,
  type ProviderOption,
  type VerificationNeed,
} from './model.ts';
import { methodKey, SessionFacts } from './SessionFacts.tsx';
import { useIdentitySession } from './session.ts';
import './identity.css';

export interface VerificationStepProps {
  readonly need: VerificationNeed;
  /** Told once when a verification succeeds (a consent screen continues from there). */
  readonly onVerified?: (session: IdentitySession) => void;
  /** The level of the step's own headings: 2 on its own page, 3 inside a section of another screen. */
  readonly headingLevel?: 2 | 3;
}

type ProvidersState = QueryState<readonly ProviderOption[]>;

/** What was asked for when the browser was opened, to say it again while waiting. */
interface Begun {
  readonly provider: ProviderOption;
  readonly method: MethodId | null;
}

export function VerificationStep(props: VerificationStepProps) {
  const { need, headingLevel = 2 } = props;
  const { t, language } = useI18n();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const [flow, dispatch] = useReducer(flowReducer, initialFlow);
  const [chosenSubject, setChosenSubject] = useState<SubjectType>('natural');
  const subjectType = need.subjectType ?? chosenSubject;
  // The person's own picks; what is used is derived from them and the current list (pickProvider, pickMethod).
  const [issuerPick, setIssuerPick] = useState<string | null>(null);
  const [methodPick, setMethodPick] = useState<MethodId | null>(null);
  const [begun, setBegun] = useState<Begun | null>(null);
  const current = useIdentitySession();
  const ids = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);

  const requiredLevel = need.requiredLevel;
  const providersQuery = useIpcQuery('identity:providers', { subjectType, requiredLevel });
  const providersState: ProvidersState = providersQuery;

  useEffect(() => subscribe('identity:result', (outcome) => { dispatch({ type: 'outcome', outcome }); }), []);

  // Focus follows the step (WCAG 2.4.3): the heading of waiting, result, error, or the choices after a cancel.
  const shownStep = flow.step;
  const lastStep = useRef<Flow['step']>(shownStep);
  useEffect(() => {
    if (lastStep.current === shownStep) return;
    lastStep.current = shownStep;
    if (shownStep !== 'starting') headingRef.current?.focus();
  }, [shownStep]);

  const onVerified = useRef(props.onVerified);
  useEffect(() => {
    onVerified.current = props.onVerified;
  });
  const verifiedSession = flow.step === 'verified' ? flow.session : null;
  useEffect(() => {
    if (verifiedSession) onVerified.current?.(verifiedSession);
  }, [verifiedSession]);

  const providers = providersState.status === 'ready' ? providersState.data : [];
  const issuer = pickProvider(providers, issuerPick);
  const provider = providers.find((p) => p.issuer === issuer);
  const method = pickMethod(provider, methodPick);
  const canStart = provider !== undefined && method !== null;
  const starting = flow.step === 'starting';

  const begin = async (): Promise<void> => {
    if (!provider || method === null || starting) return;
    setBegun({ provider, method });
    dispatch({ type: 'begin' });
    try {
      const ticket = await invoke('identity:begin', {
        subjectType,
        issuer: provider.issuer,
        method,
        requiredLevel,
        datasets: [...need.datasets],
        ...(need.reason ? { reason: need.reason } : {}),
      });
      dispatch({ type: 'ticket', ticket });
    } catch (error) {
      dispatch({ type: 'begin-failed', error: toAppError(error) });
    }
  };

  const onSubmit = (event: SyntheticEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void begin();
  };

  const cancel = async (transactionId: string): Promise<void> => {
    dispatch({ type: 'cancel-requested' });
    try {
      await invoke('identity:cancel', { transactionId });
      dispatch({ type: 'cancel-done' });
    } catch (error) {
      dispatch({ type: 'cancel-failed', error: toAppError(error) });
    }
  };

  const reopen = async (transactionId: string): Promise<void> => {
    try {
      await invoke('identity:reopen-browser', { transactionId });
      dispatch({ type: 'reopened' });
    } catch (error) {
      dispatch({ type: 'reopen-failed', error: toAppError(error) });
    }
  };

  const liveText = ((): string => {
    switch (flow.step) {
      case 'choose':
        return flow.notice === 'cancelled' ? t('identity.live.cancelled') : '';
      case 'starting':
        return t('identity.live.starting');
      case 'waiting':
        return flow.reopened > 0 ? t('identity.live.reopened') : t('identity.live.waiting');
      case 'verified':
        return t('identity.live.verified', { name: flow.session.displayName });
      case 'failed':
        return `${t('identity.live.failed')} ${bilingual({ zh: flow.error.message_zh, en: flow.error.message_en }, language)}`;
    }
  })();

  const subjectOptions: RadioOption<SubjectType>[] = [
    { value: 'natural', label: t('identity.subject.natural'), description: t('identity.subject.natural.description') },
    { value: 'legal', label: t('identity.subject.legal'), description: t('identity.subject.legal.description') },
  ];
  const methodNames = (p: ProviderOption): string => p.choices.map((c) => t(methodKey(c.method.id))).join(language === 'zh-TW' ? '、' : ', ');
  const providerOptions: RadioOption<string>[] = providers.map((p) => ({
    value: p.issuer,
    label: language === 'zh-TW' ? p.name_zh : p.name_en,
    description: t(qualifyingChoices(p).length > 0 ? 'identity.provider.offers' : 'identity.provider.noneQualifying', { methods: methodNames(p) }),
  }));

  const headingId = `${ids}-heading`;
  const startHintId = `${ids}-start-hint`;

  return (
    <div className="identity-step" data-step={flow.step}>
      {need.reason && (
        <div className="status-note identity-reason">
          <p className="identity-reason-title">{t('identity.step.reason')}</p>
          <p lang={language}>{bilingual(need.reason, language)}</p>
        </div>
      )}
      {/* Announces each state change; visually hidden because each state shows the same words in its own section. */}
      <p role="status" className="identity-visually-hidden" data-testid="identity-live">
        {liveText}
      </p>

      {(flow.step === 'choose' || flow.step === 'starting') && (
        <section aria-labelledby={headingId} className="identity-section">
          <Heading id={headingId} ref={headingRef} tabIndex={-1}>
            {t('identity.choose.heading')}
          </Heading>
          {flow.step === 'choose' && flow.notice === 'cancelled' && (
            <p className="status-note identity-cancelled" data-testid="identity-cancelled">
              {t('identity.live.cancelled')}
            </p>
          )}
          {current.status === 'ready' && current.session && (
            <p className="status-note">{t('identity.page.current', { name: current.session.displayName, maskedId: current.session.maskedId })}</p>
          )}
          <p>{requiredLevel < ANY_LEVEL ? t('identity.step.requiredLevel', { level: requiredLevel }) : t('identity.step.anyLevel')}</p>
          <form className="identity-form" onSubmit={onSubmit}>
            {need.subjectType === undefined ? (
              <RadioGroup
                legend={t('identity.subject.legend')}
                name="subject-type"
                value={chosenSubject}
                options={subjectOptions}
                onChange={(value) => {
                  setChosenSubject(value);
                  setMethodPick(null);
                }}
              />
            ) : (
              <p className="identity-fixed-subject">
                {t('identity.subject.fixed', { subject: t(need.subjectType === 'legal' ? 'identity.subject.legal' : 'identity.subject.natural') })}
              </p>
            )}

            {providersState.status === 'loading' && <p className="loading">{t('identity.provider.loading')}</p>}
            {providersState.status === 'error' && (
              <ErrorView
                variant="inline"
                error={providersState.error}
                onRetry={() => {
                  providersQuery.refetch();
                }}
              />
            )}
            {providersState.status === 'ready' && providers.length === 0 && <p className="status-note">{t('identity.provider.none')}</p>}
            {providersState.status === 'ready' && providers.length > 0 && (
              <>
                <RadioGroup
                  legend={t('identity.provider.legend')}
                  name="identity-provider"
                  value={issuer ?? ''}
                  options={providerOptions}
                  onChange={(value) => {
                    setIssuerPick(value);
                  }}
                />
                {provider && (
                  <MethodGroup
                    noneAnywhere={providers.every((p) => qualifyingChoices(p).length === 0)}
                    provider={provider}
                    subjectType={subjectType}
                    value={method}
                    onChange={(value) => {
                      setMethodPick(value);
                    }}
                  />
                )}
              </>
            )}

            <p id={startHintId} className="identity-hint">
              {canStart ? t('identity.start.hint', { provider: language === 'zh-TW' ? provider.name_zh : provider.name_en }) : t('identity.start.choose')}
            </p>
            <button type="submit" className="button identity-start" aria-disabled={!canStart || starting} aria-describedby={startHintId}>
              {t('identity.start')}
            </button>
          </form>
        </section>
      )}

      {flow.step === 'waiting' && (
        <section aria-labelledby={headingId} className="identity-section identity-waiting" data-testid="identity-waiting">
          <Heading id={headingId} ref={headingRef} tabIndex={-1}>
            {t('identity.waiting.heading')}
          </Heading>
          <p>
            {begun?.method
              ? t('identity.waiting.body', { provider: begun.provider[language === 'zh-TW' ? 'name_zh' : 'name_en'], method: t(methodKey(begun.method)) })
              : t('identity.waiting.bodyAnyMethod', { provider: begun ? begun.provider[language === 'zh-TW' ? 'name_zh' : 'name_en'] : flow.ticket.issuer })}
          </p>
          <p>{t('identity.waiting.deadline', { time: formatTime(flow.ticket.deadline, language) })}</p>
          <p>{t('identity.waiting.notOpened')}</p>
          <div className="identity-actions">
            <button
              type="button"
              className="button"
              onClick={() => {
                void reopen(flow.ticket.transactionId);
              }}
            >
              {t('identity.waiting.reopen')}
            </button>
            <button
              type="button"
              className="button button-quiet"
              aria-disabled={flow.cancelling}
              onClick={() => {
                if (!flow.cancelling) void cancel(flow.ticket.transactionId);
              }}
            >
              {t('identity.waiting.cancel')}
            </button>
          </div>
          {flow.reopenError && <ErrorView variant="inline" error={flow.reopenError} />}
        </section>
      )}

      {flow.step === 'verified' && (
        <section aria-labelledby={headingId} className="identity-section identity-result" data-testid="identity-result">
          <Heading id={headingId} ref={headingRef} tabIndex={-1}>
            {t('identity.result.heading')}
          </Heading>
          {current.status === 'ready' && current.session?.id !== flow.session.id && (
            <p className="status-note" data-testid="identity-result-ended">
              {t('identity.result.ended')}
            </p>
          )}
          <SessionFacts session={flow.session} />
          {!props.onVerified && (
            <div className="identity-actions">
              <Link to="/" className="button">
                {t('identity.result.home')}
              </Link>
              <button
                type="button"
                className="button button-quiet"
                onClick={() => {
                  dispatch({ type: 'restart' });
                }}
              >
                {t('identity.result.again')}
              </button>
            </div>
          )}
        </section>
      )}

      {flow.step === 'failed' && (
        <FailedView
          error={flow.error}
          headingId={headingId}
          headingRef={headingRef}
          Heading={Heading}
          canRetry={canStart}
          onRetry={() => {
            void begin();
          }}
          onBack={() => {
            dispatch({ type: 'restart' });
          }}
        />
      )}
    </div>
  );
}

/** The methods of one provider as radios; those that do not qualify stay reachable (aria-disabled) and say why. */
function MethodGroup(props: { noneAnywhere: boolean; provider: ProviderOption; subjectType: SubjectType; value: MethodId | null; onChange: (method: MethodId) => void }) {
  const { t, language } = useI18n();
  const id = useId();
  const noneQualify = qualifyingChoices(props.provider).length === 0;
  const noneId = `${id}-none`;
  return (
    <fieldset className="radio-group identity-methods" aria-describedby={noneQualify ? noneId : undefined}>
      <legend>{t('identity.method.legend')}</legend>
      {props.provider.choices.map((choice) => {
        const inputId = `${id}-${choice.method.id}`;
        const reasonId = `${inputId}-reason`;
        const disabled = !choice.qualifies;
        return (
          <div className={disabled ? 'radio-option identity-method-unavailable' : 'radio-option'} key={choice.method.id} data-method={choice.method.id}>
            <input
              type="radio"
              id={inputId}
              name="identity-method"
              value={choice.method.id}
              checked={!disabled && props.value === choice.method.id}
              aria-disabled={disabled || undefined}
              aria-describedby={choice.reason ? reasonId : undefined}
              onChange={() => {
                // A method below the level can be reached and read, but not chosen (G8).
                if (!disabled) props.onChange(choice.method.id);
              }}
            />
            <label htmlFor={inputId}>
              {language === 'zh-TW' ? choice.method.name_zh : choice.method.name_en}
              {' — '}
              {t('identity.method.level', { level: choice.method.level })}
              {disabled && t('identity.method.unavailable')}
            </label>
            {choice.reason && (
              <span id={reasonId} className="radio-description" lang={language}>
                {bilingual(choice.reason, language)}
              </span>
            )}
          </div>
        );
      })}
      {props.subjectType === 'legal' && <p className="radio-hint">{t('identity.method.legalOnly')}</p>}
      {noneQualify && (
        <p id={noneId} className="radio-hint identity-none">
          {t(props.noneAnywhere && props.subjectType === 'legal' ? 'identity.method.noneAnywhere' : 'identity.method.noneQualifying')}
        </p>
      )}
    </fieldset>
  );
}

/** An error in words a person can act on: both messages (current language first), the code, and what to do next. */
function FailedView(props: {
  error: AppError;
  headingId: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  Heading: 'h2' | 'h3';
  canRetry: boolean;
  onRetry: () => void;
  onBack: () => void;
}) {
  const { t, language } = useI18n();
  const { error, Heading } = props;
  const advice = errorAdvice(error);
  const messages = inOrder({ zh: error.message_zh, en: error.message_en }, language);
  return (
    <section aria-labelledby={props.headingId} className="identity-section error-view identity-error" data-testid="identity-error" data-error-code={error.code}>
      <Heading id={props.headingId} ref={props.headingRef} tabIndex={-1}>
        {t('identity.error.heading')}
      </Heading>
      {messages.map((m, i) => (
        <p key={m.lang} lang={m.lang} className={i === 0 ? 'error-message' : 'error-message error-message-second'}>
          {m.text}
        </p>
      ))}
      <p className="error-code">{t('identity.error.code', { code: error.code })}</p>
      <p className="identity-next">{t('identity.error.next')}</p>
      <ul>
        {advice.retry && <li>{t('identity.error.retryHint')}</li>}
        {advice.otherProvider && <li>{t('identity.error.otherProvider')}</li>}
        {advice.report && <li>{t('identity.error.contact')}</li>}
      </ul>
      <div className="identity-actions">
        {advice.retry && props.canRetry && (
          <button type="button" className="button" onClick={props.onRetry}>
            {t('identity.error.retry')}
          </button>
        )}
        <button type="button" className={advice.retry && props.canRetry ? 'button button-quiet' : 'button'} onClick={props.onBack}>
          {t('identity.error.back')}
        </button>
      </div>
    </section>
  );
}
