// The verification step (G2, G3, G8): choose 個人 or 企業代表, a provider and a method (those below the level shown
// disabled with the reason), wait while the person verifies in the system browser, then the session or the error.
import { useEffect, useId, useReducer, useRef, useState, type SyntheticEvent } from 'react';
import type { IdentitySession, MethodId, SubjectType } from '../../../../electron/contract/index.ts';
import { invoke, subscribe, toAppError } from '../../app/ipc.ts';
import { useIpcQuery, type QueryState } from '../../app/query.ts';
import { useI18n } from '../../i18n/index.ts';
import { ChooseSection } from './ChooseSection.tsx';
import { FailedView } from './FailedView.tsx';
import { bilingual, flowReducer, initialFlow, pickMethod, pickProvider, type Flow, type ProviderOption, type VerificationNeed } from './model.ts';
import { VerifiedSection, WaitingSection, type StepHeading } from './StepSections.tsx';
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

  const headingId = `${ids}-heading`;
  const startHintId = `${ids}-start-hint`;
  const heading: StepHeading = { Heading, headingId, headingRef };

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
        <ChooseSection
          {...heading}
          flow={flow}
          need={need}
          chosenSubject={chosenSubject}
          subjectType={subjectType}
          providers={providersState.status === 'ready' ? providersState.data : null}
          providersError={providersState.status === 'error' ? providersState.error : null}
          issuer={issuer}
          provider={provider}
          method={method}
          startHintId={startHintId}
          onSubject={(value) => {
            setChosenSubject(value);
            setMethodPick(null);
          }}
          onProvider={setIssuerPick}
          onMethod={setMethodPick}
          onRetryProviders={() => {
            providersQuery.refetch();
          }}
          onSubmit={onSubmit}
        />
      )}

      {flow.step === 'waiting' && (
        <WaitingSection
          {...heading}
          flow={flow}
          begun={begun}
          onReopen={() => {
            void reopen(flow.ticket.transactionId);
          }}
          onCancel={() => {
            void cancel(flow.ticket.transactionId);
          }}
        />
      )}

      {flow.step === 'verified' && (
        <VerifiedSection
          {...heading}
          flow={flow}
          embedded={props.onVerified !== undefined}
          onAgain={() => {
            dispatch({ type: 'restart' });
          }}
        />
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
