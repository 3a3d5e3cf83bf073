// Services screen: not built yet, and says so plainly (no sample or placeholder data).
import { NotYetAvailable, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export function ServicesPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeading>{t('services.title')}</PageHeading>
      <NotYetAvailable message={t('services.notYet')} />
    </>
  );
}
