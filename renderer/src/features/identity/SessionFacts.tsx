// Who verified, how and until when: the facts of an identity session as a description list (never a token or a full ID).
import type { IdentitySession } from '../../../../electron/contract/index.ts';
import { useI18n, type MessageKey } from '../../i18n/index.ts';
import { useMinuteClock } from './clock.ts';
import { bilingual, formatTime, minutesLeft } from './model.ts';

export function methodKey(method: IdentitySession['method']): MessageKey {
  return `identity.method.${method}`;
}

export function SessionFacts(props: { session: IdentitySession }) {
  const { t, language } = useI18n();
  const { session } = props;
  const now = useMinuteClock(session.expiresAt);
  return (
    <dl className="facts identity-facts" data-testid="identity-session-facts">
      <dt>{t('identity.result.name')}</dt>
      <dd>{session.displayName}</dd>
      <dt>{t('identity.result.maskedId')}</dt>
      <dd className="identity-id">{session.maskedId}</dd>
      {session.company && (
        <>
          <dt>{t('identity.result.company')}</dt>
          <dd>{t('identity.result.companyValue', { name: session.company.name, ban: session.company.ban })}</dd>
        </>
      )}
      <dt>{t('identity.result.provider')}</dt>
      <dd>{bilingual(session.provider, language)}</dd>
      <dt>{t('identity.result.method')}</dt>
      <dd>{t(methodKey(session.method))}</dd>
      <dt>{t('identity.result.level')}</dt>
      <dd>{t('identity.level', { level: session.level })}</dd>
      <dt>{t('identity.result.expires')}</dt>
      <dd>
        <time dateTime={session.expiresAt}>
          {t('identity.result.expiresValue', { time: formatTime(session.expiresAt, language), minutes: minutesLeft(session.expiresAt, now) })}
        </time>
      </dd>
    </dl>
  );
}
