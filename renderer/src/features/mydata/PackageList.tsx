// The kept packages: service, datasets with their verification badges, date and size; each opens its detail.
import type { PackageView } from '../../../../electron/contract/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { Badge } from './Badge.tsx';
import { formatBytes, formatInstant } from './format.ts';

export function PackageList(props: { packages: PackageView[]; onOpen: (id: string) => void }) {
  const { t, language, pick } = useI18n();
  return (
    <section className="mydata-section" aria-labelledby="mydata-list-heading">
      <h2 id="mydata-list-heading">{t('mydata.list.heading')}</h2>
      {props.packages.length === 0 ? (
        <p data-testid="mydata-empty">{t('mydata.list.empty')}</p>
      ) : (
        <table className="data-table mydata-table mydata-packages" data-testid="package-list">
          <thead>
            <tr>
              <th scope="col">{t('mydata.list.service')}</th>
              <th scope="col">{t('mydata.list.providers')}</th>
              <th scope="col">{t('mydata.list.date')}</th>
              <th scope="col">{t('mydata.list.size')}</th>
              <th scope="col">
                <span className="mydata-visually-hidden">{t('mydata.list.open')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.packages.map((p) => {
              const service = pick(p.service.name);
              const date = formatInstant(p.receivedAt ?? p.storedAt, language);
              return (
                <tr key={p.id} data-testid="package-row">
                  <th scope="row">
                    {service}
                    <br />
                    <span className="mydata-muted">{t(`mydata.source.${p.source}`)}</span>
                  </th>
                  <td>
                    <ul className="mydata-providers">
                      {p.providers.map((provider) => (
                        <li key={provider.resourceId}>
                          {pick(provider.dataset)} <Badge badge={provider.badge} />
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{date}</td>
                  <td>{formatBytes(p.totalSize, language)}</td>
                  <td>
                    <button type="button" className="button" aria-label={t('mydata.list.openLabel', { service, date })} onClick={() => props.onOpen(p.id)}>
                      {t('mydata.list.open')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
