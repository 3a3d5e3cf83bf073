// The history screen (G12, G14, G15, G16): integrity and chain head, "who has my data" with PDPA requests, filters,
// the sharing chart and the records (timeline or table, with details) under them, exports, retention, "delete everything".
import { useMemo, useState } from 'react';
import { ErrorView, PageHeading } from '../../components/index.ts';
import { useI18n } from '../../i18n/index.ts';
import { useHistoryData, useOrgStatuses } from './data.ts';
import { Filters } from './Filters.tsx';
import { IntegrityPanel } from './IntegrityPanel.tsx';
import { ExportPanel, ManagePanel } from './ManagePanel.tsx';
import { EMPTY_FILTER, toFilter, type FilterForm } from './model.ts';
import { Records, type RecordsView } from './Records.tsx';
import { SharingChart } from './SharingChart.tsx';
import { WhoHasMyData } from './WhoHasMyData.tsx';
import './history.css';

export function HistoryPage() {
  const { t } = useI18n();
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTER);
  const [pages, setPages] = useState(1);
  const [view, setView] = useState<RecordsView>('timeline');
  const filter = useMemo(() => toFilter(form), [form]);
  const { loaded, reload } = useHistoryData(filter, pages);
  const orgs = useOrgStatuses();

  return (
    <>
      <PageHeading>{t('history.title')}</PageHeading>
      <p>{t('history.intro')}</p>
      {loaded.status === 'loading' && (
        <p role="status" className="status-note">
          {t('history.loading')}
        </p>
      )}
      {loaded.status === 'error' && <ErrorView variant="inline" error={loaded.error} onRetry={reload} />}
      {loaded.status === 'ready' && (
        <div className="history-page" data-testid="history-page">
          <IntegrityPanel integrity={loaded.data.state.integrity} onChanged={reload} />
          {loaded.data.state.integrity.count === 0 ? (
            <p className="status-note" data-testid="history-empty">
              {t('history.empty')}
            </p>
          ) : (
            <>
              <WhoHasMyData recipients={loaded.data.recipients} orgs={orgs} />
              <Filters
                form={form}
                facets={loaded.data.state.facets}
                total={loaded.data.total}
                onChange={(next) => {
                  setForm(next);
                  setPages(1);
                }}
              />
              <SharingChart stats={loaded.data.stats} />
              <Records
                records={loaded.data.records}
                total={loaded.data.total}
                orgs={orgs}
                view={view}
                onView={setView}
                onMore={() => {
                  setPages((p) => p + 1);
                }}
              />
            </>
          )}
          <ExportPanel filter={filter} disabled={false} />
          <ManagePanel
            retentionYears={loaded.data.state.retentionYears}
            minYears={loaded.data.state.minRetentionYears}
            count={loaded.data.state.integrity.count}
            onChanged={reload}
          />
        </div>
      )}
    </>
  );
}
