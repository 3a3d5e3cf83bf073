// The identity badge in the header: who is verified (name, masked ID, company), how (method, level) and the time left,
// with "sign out"; or a link to verify. The time left changes once a minute and is not a live region (not announced).
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { AppError } from '../../../../electron/contract/index.ts';
import { toAppError } from '../../app/ipc.ts';
import { useI18n } from '../../i18n/index.ts';
import { useMinuteClock } from './clock.ts';
import { timeLeft } from './model.ts';
import { methodKey } from './SessionFacts.tsx';
import { refreshSession, signOut, useIdentitySession } from './session.ts';
import './identity.css';

export function IdentityBadge() {
  const { t, language, pickField } = useI18n();
  const state = useIdentitySession();
  const session = state.status === 'ready' ? state.session : null;
  const now = useMinuteClock(session?.expiresAt ?? null);
  const left = session ? timeLeft(session.expiresAt, now) : null;
  const active = session && left && left.kind !== 'expired' ? { session, left } : null;
  const verified = active !== null;
  const expired = session !== null && !verified;
  const [announce, setAnnounce] = useState('');
  const [failure, setFailure] = useState<AppError | null>(null);
  const verifyLink = useRef<HTMLAnchorElement>(null);
  const focusLinkNext = useRef(false);

  // Main drops an expired session lazily: ask again, so every screen learns it is gone.
  useEffect(() => {
    if (expired) refreshSession();
  }, [expired]);

  // The sign-out button disappears with the session: focus goes to the link that replaces it.
  useEffect(() => {
    if (verified) setAnnounce('');
    if (!verified && focusLinkNext.current) {
      focusLinkNext.current = false;
      verifyLink.current?.focus();
    }
  }, [verified]);

  const onSignOut = async (): Promise<void> => {
    setFailure(null);
    focusLinkNext.current = true;
    try {
      await signOut();
      setAnnounce(t('identity.badge.signedOut'));
    } catch (error) {
      focusLinkNext.current = false;
      setFailure(toAppError(error));
    }
  };

  return (
    <section className="identity-badge" aria-label={t('identity.badge.label')} data-testid="identity-badge" data-state={verified ? 'verified' : 'none'}>
      {active ? (
        <>
          <p className="identity-badge-who">
            <span className="identity-visually-hidden">{t('identity.badge.verified')}</span>
            <strong className="identity-badge-name">{active.session.displayName}</strong>{' '}
            <span className="identity-id">{active.session.maskedId}</span>
            {active.session.company && (
              <>
                {' '}
                <span className="identity-badge-company">
                  {t('identity.badge.representing', { company: active.session.company.name, ban: active.session.company.ban })}
                </span>
              </>
            )}
          </p>
          <p className="identity-badge-how">
            <span>{t(methodKey(active.session.method))}</span>
            <span aria-hidden="true"> · </span>
            <span>{t('identity.level', { level: active.session.level })}</span>
            <span aria-hidden="true"> · </span>
            <time dateTime={active.session.expiresAt} data-testid="identity-time-left">
              {active.left.kind === 'minutes' ? t('identity.badge.timeLeft', { minutes: active.left.minutes }) : t('identity.badge.underAMinute')}
            </time>
          </p>
          <button
            type="button"
            className="identity-badge-button"
            onClick={() => {
              void onSignOut();
            }}
          >
            {t('identity.badge.signOut')}
          </button>
        </>
      ) : (
        <>
          <p className={expired ? 'identity-badge-who' : 'identity-visually-hidden'}>{t(expired ? 'identity.badge.expired' : 'identity.badge.notVerified')}</p>
          <Link ref={verifyLink} to="/verify" className="identity-badge-link">
            {t('identity.badge.verify')}
          </Link>
        </>
      )}
      <p role="status" className="identity-visually-hidden">
        {announce}
      </p>
      {failure && (
        <p role="alert" className="identity-badge-error" lang={language}>
          {pickField(failure, 'message')}
        </p>
      )}
    </section>
  );
}
