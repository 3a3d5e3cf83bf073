// A provider's verification badge: a symbol and words, never colour alone (WCAG 1.4.1).
import type { ProviderBadge } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';

const SYMBOL: Record<ProviderBadge, string> = { verified: '✓', 'issuer-not-recognised': '?', 'no-known-signer': '?', failed: '✗', 'not-delivered': '–', unsigned: '○' };

export function Badge(props: { badge: ProviderBadge }) {
  const { t } = useI18n();
  return (
    <span className={`mydata-badge mydata-badge-${props.badge}`} data-badge={props.badge}>
      <span aria-hidden="true">{SYMBOL[props.badge]} </span>
      {t(`mydata.badge.${props.badge}`)}
    </span>
  );
}
