// Home's recent history: the last few transmissions from the person's own log, with a way to the full history.
import { Link } from 'react-router';
import { useIpcQuery } from '../../app/query.ts';
import { useI18n } from '../../i18n/index.ts';
import { formatInstant } from '../directory/format.ts';

const RECENT = 5;

export function RecentHistory() {
  const { t, language, calendar, pick } = useI18n();
  const query = useIpcQuery('history:query', { limit: RECENT, order: 'newest' });
  const state = query.status === 'ready' ? { status: 'ready' as const, ...query.data } : query;

  const name = pick;
  return (
    <section aria-labelledby="home-history">
      <h2 id="home-history">{t('dir.home.history')}</h2>
      {state.status === 'loading' && <p>{t('shell.loading')}</p>}
      {state.status === 'error' && (
        // The history lives in the encrypted vault; when it cannot be opened yet (a passphrase to set or enter), My data says why.
        <p data-testid="home-history">
          {t('dir.home.historyLocked')} <Link to="/my-data">{t('nav.mydata')}</Link>
        </p>
      )}
      {state.status === 'ready' && state.records.length === 0 && <p data-testid="home-history">{t('dir.home.historyNone')}</p>}
      {state.status === 'ready' && state.records.length > 0 && (
        <>
          <ul className="home-recent" data-testid="home-history">
            {state.records.map((r) => (
              <li key={r.id}>
                <time dateTime={r.time}>{formatInstant(r.time, language, calendar)}</time>
                {' · '}
                {name(r.dataset.name)}
                {' → '}
                {r.recipient.kind === 'self' ? t('history.self') : name(r.recipient.name)}
                {' · '}
                {t(`history.result.${r.result}`)}
              </li>
            ))}
          </ul>
          <p>
            <Link to="/history">{t('dir.home.historyAll', { count: state.total })}</Link>
          </p>
        </>
      )}
    </section>
  );
}
