// Shown for a route that does not exist (e.g. a stale hash).
import { Link } from 'react-router';
import { PageHeading } from '../components/index.ts';
import { useI18n } from '../i18n/index.ts';

export function NotFound() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('notFound.title')}</PageHeading>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </>
  );
}
