// The history screen's data from main: state, the filtered page of records, chart counts, "who has my data",
// and the organisations' standing from the platform directory (G16); reloaded together after any change.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  AppError,
  HistoryFilter,
  HistoryRecord,
  HistoryState,
  HistoryStats,
  RecipientSummary,
} from '../../../../electron/contract/index.ts';
import { invoke, toAppError } from '../../app/ipc.ts';

export const PAGE_SIZE = 50;

export type OrgStatus = 'active' | 'suspended' | 'terminated';

export interface HistoryData {
  state: HistoryState;
  records: HistoryRecord[];
  total: number;
  stats: HistoryStats;
  recipients: RecipientSummary[];
}

export type Loaded = { status: 'loading' } | { status: 'error'; error: AppError } | { status: 'ready'; data: HistoryData };

/** Loads everything the screen shows for a filter and a number of pages; `reload` after a change in main. */
export function useHistoryData(filter: HistoryFilter, pages: number): { loaded: Loaded; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const key = JSON.stringify(filter);

  useEffect(() => {
    let live = true;
    const f = JSON.parse(key) as HistoryFilter;
    Promise.all([
      invoke('history:state', {}),
      invoke('history:query', { ...f, order: 'newest', limit: PAGE_SIZE * pages }),
      invoke('history:stats', f),
      invoke('history:recipients', {}),
    ]).then(
      ([state, page, stats, recipients]) => {
        if (live) setLoaded({ status: 'ready', data: { state, records: page.records, total: page.total, stats, recipients } });
      },
      (error: unknown) => {
        if (live) setLoaded({ status: 'error', error: toAppError(error) });
      },
    );
    return () => {
      live = false;
    };
  }, [key, pages, version]);

  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  return { loaded, reload };
}

/** Each organisation's standing from the directory main already holds; empty when it has none (offline, first run). */
export function useOrgStatuses(): ReadonlyMap<string, OrgStatus> {
  const [orgs, setOrgs] = useState<{ id: string; status: OrgStatus }[]>([]);
  useEffect(() => {
    let live = true;
    invoke('platform:directory', { refresh: false }).then(
      (view) => {
        if (live) setOrgs(view.organizations.map((o) => ({ id: o.id, status: o.status })));
      },
      () => {
        // Without a directory the screen shows no standing; the history itself does not depend on it.
      },
    );
    return () => {
      live = false;
    };
  }, []);
  return useMemo(() => new Map(orgs.map((o) => [o.id, o.status])), [orgs]);
}
