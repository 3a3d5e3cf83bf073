// The verification step's choice: 個人 or 企業代表 (unless fixed), a provider and one of its methods, then Start.
import type { SyntheticEvent } from 'react';
import type { AppError, MethodId, SubjectType } from '../../../../electron/contract/index.ts';
import { ErrorView, RadioGroup, type RadioOption } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { ANY_LEVEL, qualifyingChoices, type Flow, type ProviderOption, type VerificationNeed } from './model.ts';
import { MethodGroup } from './MethodGroup.tsx';
import { methodKey } from './SessionFacts.tsx';
import { useIdentitySession } from './session.ts';
import type { StepHeading } from './StepSections.tsx';

export function ChooseSection(props: StepHeading & {
  flow: Extract<Flow, { step: 'choose' | 'starting' }>;
  need: VerificationNeed;
  chosenSubject: SubjectType;
  subjectType: SubjectType;
  /** The providers for the subject type and level: null while loading or after an error. */
  providers: readonly ProviderOption[] | null;
  providersError: AppError | null;
  issuer: string | null;
  provider: ProviderOption | undefined;
  method: MethodId | null;
  startHintId: string;
  onSubject: (subject: SubjectType) => void;
  onProvider: (issuer: string) => void;
  onMethod: (method: MethodId) => void;
  onRetryProviders: () => void;
  onSubmit: (event: SyntheticEvent<HTMLFormElement>) => void;
}) {
  const { t, pickField, list } = useI18n();
  const current = useIdentitySession();
  const { flow, need, provider, method, Heading, headingId, headingRef } = props;
  const requiredLevel = need.requiredLevel;
  const providers = props.providers ?? [];
  const canStart = provider !== undefined && method !== null;
  const starting = flow.step === 'starting';

  const subjectOptions: RadioOption<SubjectType>[] = [
    { value: 'natural', label: t('identity.subject.natural'), description: t('identity.subject.natural.description') },
    { value: 'legal', label: t('identity.subject.legal'), description: t('identity.subject.legal.description') },
  ];
  const methodNames = (p: ProviderOption): string => list(p.choices.map((c) => t(methodKey(c.method.id))));
  const providerOptions: RadioOption<string>[] = providers.map((p) => ({
    value: p.issuer,
    label: pickField(p, 'name'),
    description: t(qualifyingChoices(p).length > 0 ? 'identity.provider.offers' : 'identity.provider.noneQualifying', { methods: methodNames(p) }),
  }));

  return (
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
      <form className="identity-form" onSubmit={props.onSubmit}>
        {need.subjectType === undefined ? (
          <RadioGroup legend={t('identity.subject.legend')} name="subject-type" value={props.chosenSubject} options={subjectOptions} onChange={props.onSubject} />
        ) : (
          <p className="identity-fixed-subject">
            {t('identity.subject.fixed', { subject: t(need.subjectType === 'legal' ? 'identity.subject.legal' : 'identity.subject.natural') })}
          </p>
        )}

        {props.providers === null && props.providersError === null && <p className="loading">{t('identity.provider.loading')}</p>}
        {props.providersError && <ErrorView variant="inline" error={props.providersError} onRetry={props.onRetryProviders} />}
        {props.providers?.length === 0 && <p className="status-note">{t('identity.provider.none')}</p>}
        {providers.length > 0 && (
          <>
            <RadioGroup legend={t('identity.provider.legend')} name="identity-provider" value={props.issuer ?? ''} options={providerOptions} onChange={props.onProvider} />
            {provider && (
              <MethodGroup
                noneAnywhere={providers.every((p) => qualifyingChoices(p).length === 0)}
                provider={provider}
                subjectType={props.subjectType}
                value={method}
                onChange={props.onMethod}
              />
            )}
          </>
        )}

        <p id={props.startHintId} className="identity-hint">
          {canStart ? t('identity.start.hint', { provider: pickField(provider, 'name') }) : t('identity.start.choose')}
        </p>
        <button type="submit" className="button identity-start" aria-disabled={!canStart || starting} aria-describedby={props.startHintId}>
          {t('identity.start')}
        </button>
      </form>
    </section>
  );
}
