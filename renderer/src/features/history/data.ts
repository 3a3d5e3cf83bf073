// The history screen's data from main: state, the filtered page of records, chart counts, "who has my data",
// and the organisations' standing from the platform directory (G16); reloaded together after any change.
import { useMemo } from 'react';
import type {
  HistoryFilter,
  HistoryRecord,
  HistoryState,
  HistoryStats,
  RecipientSummary,
} from '../../../../electron/contract/index.ts';
import { combineQueries, useIpcQuery, type QueryState } from '../../app/query.ts';

export const PAGE_SIZE = 50;

export type OrgStatus = 'active' | 'suspended' | 'terminated';

export interface HistoryData {
  state: HistoryState;
  records: HistoryRecord[];
  total: number;
  stats: HistoryStats;
  recipients: RecipientSummary[];
}

/** Loads everything the screen shows for a filter and a number of pages; `reload` after a change in main. */
export function useHistoryData(filter: HistoryFilter, pages: number): { loaded: QueryState<HistoryData>; reload: () => void } {
  // A new filter or page count keeps the records shown until its own answer is in.
  const keepPrevious = { keepPrevious: true };
  const combined = combineQueries(
    useIpcQuery('history:state', {}, keepPrevious),
    useIpcQuery('history:query', { ...filter, order: 'newest', limit: PAGE_SIZE * pages }, keepPrevious),
    useIpcQuery('history:stats', filter, keepPrevious),
    useIpcQuery('history:recipients', {}, keepPrevious),
  );
  const { refetch } = combined;
  const ready = combined.status === 'ready' ? combined.data : null;
  const error = combined.status === 'error' ? combined.error : null;
  const loaded = useMemo<QueryState<HistoryData>>(() => {
    if (ready) {
      const [state, page, stats, recipients] = ready;
      return { status: 'ready', data: { state, records: page.records, total: page.total, stats, recipients } };
    }
    return error ? { status: 'error', error } : { status: 'loading' };
  }, [ready, error]);
  return { loaded, reload: refetch };
}

/** Each organisation's standing from the directory main already holds; empty when it has none (offline, first run). */
export function useOrgStatuses(): ReadonlyMap<string, OrgStatus> {
  // Without a directory the screen shows no standing; the history itself does not depend on it.
  const directory = useIpcQuery('platform:directory', { refresh: false });
  const organizations = directory.status === 'ready' ? directory.data.organizations : null;
  return useMemo(() => new Map((organizations ?? []).map((o) => [o.id, o.status])), [organizations]);
}
