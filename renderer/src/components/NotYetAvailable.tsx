// A plain statement that a screen is not built yet: no placeholder or sample data.
import { useI18n } from '../i18n/index.ts';

export function NotYetAvailable(props: { message: string }) {
  const { t } = useI18n();
  return (
    <div className="not-yet" data-testid="not-yet-available">
      <p className="not-yet-message">{props.message}</p>
      <p>{t('notYet.detail')}</p>
    </div>
  );
}
