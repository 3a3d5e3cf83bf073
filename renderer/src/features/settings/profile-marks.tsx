// What the shell shows of the profile on every screen: the demo's marker, and which paths need a platform API.
import { matchPath } from 'react-router';
import type { Profile } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';

/** Screens that talk to a platform (catalogue, identity, consent, receipts); the official profile has none. */
const PLATFORM_PATHS = ['/services', '/services/*', '/organizations', '/announcements', '/verify', '/requests/*', '/my-data/receipts', '/my-data/receipts/*'];

export function needsPlatform(pathname: string): boolean {
  return PLATFORM_PATHS.some((pattern) => matchPath(pattern, pathname) !== null);
}

/** Never present demo data as real: a marker in the banner of every screen of the demo profile. */
export function DemoMarker(props: { profile: Profile }) {
  const { t } = useI18n();
  if (props.profile !== 'demo') return null;
  return (
    <p className="demo-marker" data-testid="demo-marker">
      <strong>{t('demo.marker')}</strong>
      <span className="demo-marker-detail">{t('demo.markerDetail')}</span>
    </p>
  );
}
