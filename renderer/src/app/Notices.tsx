// A polite live region for events from main: deep links received (journeys come later) and links refused.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { AppError, DeepLink } from '../../../electron/contract/index.ts';
import { otherLanguage, pickField as pickFieldIn, useI18n } from '../i18n/index.ts';
import { subscribe } from './ipc.ts';
import { useIpcQuery } from './query.ts';

type Notice =
  | { kind: 'request'; platform: string; id: number }
  | { kind: 'rejected'; error: AppError; id: number }
  | { kind: 'failed'; error: AppError; id: number };

export function Notices() {
  const { t, language, pickField } = useI18n();
  const [notice, setNotice] = useState<Notice | null>(null);
  const navigate = useNavigate();
  // The effect below runs once per mount (main hands queued links over once); it reads the latest navigate from here.
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  });

  // A service provider's request opens its consent screen, whether the app was running or started by the link.
  const nextId = useRef(0);
  const openRequest = useCallback((link: DeepLink) => {
    setNotice({ kind: 'request', platform: link.platform, id: ++nextId.current });
    void navigateRef.current(`/requests/${encodeURIComponent(link.requestUri)}`);
  }, []);

  useEffect(() => {
    const offReceived = subscribe('deeplink:received', openRequest);
    const offRejected = subscribe('deeplink:rejected', (error) => {
      setNotice({ kind: 'rejected', error, id: ++nextId.current });
    });
    return () => {
      offReceived();
      offRejected();
    };
  }, [openRequest]);

  // A link that started the app arrived before anyone listened: main keeps it until asked, and hands it over once
  // (it empties its queue). A failed ask is asked again by a later mount.
  const pending = useIpcQuery('deeplink:pending', {});
  const pendingLinks = pending.status === 'ready' ? pending.data : null;
  const pendingError = pending.status === 'error' ? pending.error : null;
  useEffect(() => {
    const last = pendingLinks?.at(-1);
    if (last) openRequest(last);
  }, [pendingLinks, openRequest]);
  useEffect(() => {
    if (pendingError) setNotice({ kind: 'failed', error: pendingError, id: ++nextId.current });
  }, [pendingError]);

  // The region itself is always in the DOM so screen readers notice content that appears in it.
  return (
    <div className="notices" role="status" aria-live="polite">
      {notice && (
        <div className="notice" key={notice.id} data-notice={notice.kind}>
          {notice.kind === 'request' ? (
            <p>{t('consent.link.received')}</p>
          ) : (
            <>
              {notice.kind === 'rejected' && <p>{t('deeplink.rejected')}</p>}
              <p lang={language}>{pickField(notice.error, 'message')}</p>
              <p lang={otherLanguage(language)}>{pickFieldIn(otherLanguage(language), notice.error, 'message')}</p>
            </>
          )}
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setNotice(null);
            }}
          >
            {t('notice.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}
