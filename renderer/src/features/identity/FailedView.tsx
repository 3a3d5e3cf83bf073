// The verification step's error: both messages (current language first), the code, and what to do next.
import type { RefObject } from 'react';
import type { AppError } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { errorAdvice, inOrder } from './model.ts';

/** An error in words a person can act on: both messages (current language first), the code, and what to do next. */
export function FailedView(props: {
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
