// Shows an AppError: both messages, the current language first (each marked with its lang), the code, and a retry.
import type { AppError } from '../../../electron/contract/index.ts';
import { otherLanguage, useI18n } from '../i18n/index.ts';
import { PageHeading } from './PageHeading.tsx';

export function ErrorView(props: { error: AppError; onRetry?: () => void; variant: 'page' | 'inline' }) {
  const { t, language } = useI18n();
  const messages = { 'zh-TW': props.error.message_zh, en: props.error.message_en };
  const second = otherLanguage(language);
  const body = (
    <>
      <p lang={language} className="error-message">
        {messages[language]}
      </p>
      <p lang={second} className="error-message error-message-second">
        {messages[second]}
      </p>
      <p className="error-code">{t('error.code', { code: props.error.code })}</p>
      {props.onRetry && (
        <button type="button" className="button" onClick={props.onRetry}>
          {t('error.retry')}
        </button>
      )}
    </>
  );
  if (props.variant === 'page') {
    return (
      <section className="error-view" data-error-code={props.error.code}>
        <PageHeading>{t('error.title')}</PageHeading>
        {body}
      </section>
    );
  }
  return (
    <div role="alert" className="error-view error-inline" data-error-code={props.error.code}>
      <p className="error-title">{t('error.title')}</p>
      {body}
    </div>
  );
}
