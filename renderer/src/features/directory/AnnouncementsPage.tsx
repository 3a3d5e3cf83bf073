// Every announcement the platform published (G13), newest first, each with its working-day lead time and
// whether it came late; the list shows the last copy fetched, marked when offline.
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { DirectoryFrame, NoticeItem } from './parts.tsx';

export function AnnouncementsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('dir.notices.title')}</PageHeading>
      <p>{t('dir.notices.intro')}</p>
      <DirectoryFrame>
        {(view) => {
          const late = view.notices.filter((n) => n.timing === 'late').length;
          return (
            <>
              <p data-testid="late-count">{t('dir.notices.lateCount', { late, total: view.notices.length })}</p>
              {view.notices.length === 0 ? (
                <p>{t('dir.notices.none')}</p>
              ) : (
                view.notices.map((n) => <NoticeItem key={n.id} notice={n} headingLevel={2} />)
              )}
            </>
          );
        }}
      </DirectoryFrame>
    </>
  );
}
