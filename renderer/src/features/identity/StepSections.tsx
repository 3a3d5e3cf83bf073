// The verification step's later sections: waiting while the person verifies in the system browser, and the verified
// session; each takes the step's heading (focus moves to it) and the actions the step owns.
import type { RefObject } from 'react';
import { Link } from 'react-router';
import type { MethodId } from '../../../../electron/contract/index.ts';
import { ErrorView } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatTime, type Flow, type ProviderOption } from './model.ts';
import { methodKey, SessionFacts } from './SessionFacts.tsx';
import { useIdentitySession } from './session.ts';

/** The step's heading as each section renders it. */
export interface StepHeading {
  readonly Heading: 'h2' | 'h3';
  readonly headingId: string;
  readonly headingRef: RefObject<HTMLHeadingElement | null>;
}

export function WaitingSection(props: StepHeading & {
  flow: Extract<Flow, { step: 'waiting' }>;
  /** What was asked for when the browser was opened, said again while waiting. */
  begun: { readonly provider: ProviderOption; readonly method: MethodId | null } | null;
  onReopen: () => void;
  onCancel: () => void;
}) {
  const { t, language, pickField } = useI18n();
  const { flow, begun, Heading, headingId, headingRef } = props;
  return (
    <section aria-labelledby={headingId} className="identity-section identity-waiting" data-testid="identity-waiting">
      <Heading id={headingId} ref={headingRef} tabIndex={-1}>
        {t('identity.waiting.heading')}
      </Heading>
      <p>
        {begun?.method
          ? t('identity.waiting.body', { provider: pickField(begun.provider, 'name'), method: t(methodKey(begun.method)) })
          : t('identity.waiting.bodyAnyMethod', { provider: begun ? pickField(begun.provider, 'name') : flow.ticket.issuer })}
      </p>
      <p>{t('identity.waiting.deadline', { time: formatTime(flow.ticket.deadline, language) })}</p>
      <p>{t('identity.waiting.notOpened')}</p>
      <div className="identity-actions">
        <button type="button" className="button" onClick={props.onReopen}>
          {t('identity.waiting.reopen')}
        </button>
        <button
          type="button"
          className="button button-quiet"
          aria-disabled={flow.cancelling}
          onClick={() => {
            if (!flow.cancelling) props.onCancel();
          }}
        >
          {t('identity.waiting.cancel')}
        </button>
      </div>
      {flow.reopenError && <ErrorView variant="inline" error={flow.reopenError} />}
    </section>
  );
}

export function VerifiedSection(props: StepHeading & {
  flow: Extract<Flow, { step: 'verified' }>;
  /** Inside another screen (which continues by itself) the step offers no way home and no second verification. */
  embedded: boolean;
  onAgain: () => void;
}) {
  const { t } = useI18n();
  const current = useIdentitySession();
  const { flow, Heading, headingId, headingRef } = props;
  return (
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
      {!props.embedded && (
        <div className="identity-actions">
          <Link to="/" className="button">
            {t('identity.result.home')}
          </Link>
          <button type="button" className="button button-quiet" onClick={props.onAgain}>
            {t('identity.result.again')}
          </button>
        </div>
      )}
    </section>
  );
}
