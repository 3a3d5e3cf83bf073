// Shown instead of a screen that needs a platform API while the official-service profile (which has none) is in use.
import { Link } from 'react-router';
import { PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';

export default function NotInOfficialProfile() {
  const { t } = useI18n();
  return (
    <div data-testid="not-in-official-profile">
      <PageHeading>{t('profile.notAvailable.title')}</PageHeading>
      <p>{t('profile.notAvailable.body')}</p>
      <ul className="link-list">
        <li>
          <Link to="/my-data">{t('profile.notAvailable.mydata')}</Link>
        </li>
        <li>
          <Link to="/settings">{t('profile.notAvailable.settings')}</Link>
        </li>
      </ul>
    </div>
  );
}
