// In-memory index over the history's records: the screen's filters and "who has my data", fast at 100,000 records.
import type { HistoryQuery, HistoryRecord, HistoryRecipient, RecipientSummary } from '../../contract/history.ts';
import type { RecordRow } from './records.ts';

export function recipientKey(r: HistoryRecipient): string {
  return r.kind === 'self' ? 'self' : r.id;
}

export class HistoryIndex {
  /** The rows filters look at; `load` gives the full record for a page (a sealed one is read then, records.ts). */
  private readonly records: RecordRow[] = [];
  private readonly load: (pos: number) => HistoryRecord;

  constructor(load?: (pos: number) => HistoryRecord) {
    this.load = load ?? ((pos) => this.records[pos] as HistoryRecord);
  }

  private readonly times: number[] = [];
  /** Positions into `records`, ordered by (time, seq): appends are nearly always newest, so this is a push. */
  private readonly byTime: number[] = [];
  private readonly byRecipient = new Map<string, number[]>();
  private readonly byProvider = new Map<string, number[]>();
  private readonly byDataset = new Map<string, number[]>();

  get size(): number {
    return this.records.length;
  }

  all(): readonly RecordRow[] {
    return this.records;
  }

  add(record: RecordRow): void {
    const pos = this.records.length;
    const t = Date.parse(record.time);
    this.records.push(record);
    this.times.push(t);
    const last = this.byTime.at(-1);
    if (last === undefined || (this.times[last] ?? 0) <= t) this.byTime.push(pos);
    else this.byTime.splice(this.upperBound(t), 0, pos);
    push(this.byRecipient, recipientKey(record.recipient), pos);
    push(this.byProvider, record.provider.id, pos);
    push(this.byDataset, record.dataset.id, pos);
  }

  /** First index into byTime whose time is > t (or >= t when `strict` is false). */
  private upperBound(t: number, strict = true): number {
    let lo = 0;
    let hi = this.byTime.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const mt = this.times[this.byTime[mid] ?? 0] ?? 0;
      if (strict ? mt <= t : mt < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  query(q: HistoryQuery = {}): { total: number; records: HistoryRecord[] } {
    const from = q.from === undefined ? -Infinity : Date.parse(q.from);
    const until = q.until === undefined ? Infinity : Date.parse(q.until);
    // Start from the narrowest keyed list, if any filter has one; otherwise the time range of byTime.
    const lists: number[][] = [];
    if (q.recipient !== undefined) lists.push(this.byRecipient.get(q.recipient) ?? []);
    if (q.provider !== undefined) lists.push(this.byProvider.get(q.provider) ?? []);
    if (q.dataset !== undefined) lists.push(this.byDataset.get(q.dataset) ?? []);
    const keep = (pos: number): boolean => {
      const r = this.records[pos];
      if (r === undefined) return false;
      const t = this.times[pos] ?? 0;
      if (t < from || t >= until) return false;
      if (q.recipient !== undefined && recipientKey(r.recipient) !== q.recipient) return false;
      if (q.provider !== undefined && r.provider.id !== q.provider) return false;
      if (q.dataset !== undefined && r.dataset.id !== q.dataset) return false;
      if (q.result !== undefined && r.result !== q.result) return false;
      if (q.subject_type !== undefined && r.subject?.type !== q.subject_type) return false;
      return true;
    };
    let hits: number[];
    if (lists.length > 0) {
      lists.sort((a, b) => a.length - b.length);
      hits = (lists[0] ?? []).filter(keep);
      hits.sort((a, b) => (this.times[a] ?? 0) - (this.times[b] ?? 0) || a - b);
    } else {
      const lo = from === -Infinity ? 0 : this.upperBound(from, false);
      const hi = until === Infinity ? this.byTime.length : this.upperBound(until, false);
      hits = this.byTime.slice(lo, hi).filter(keep);
    }
    if ((q.order ?? 'newest') === 'newest') hits.reverse();
    const offset = q.offset ?? 0;
    const page = q.limit === undefined ? hits.slice(offset) : hits.slice(offset, offset + q.limit);
    return { total: hits.length, records: page.map((p) => this.load(p)) };
  }

  /** "Who has my data": per recipient, what it received (successful or partial transmissions) and when last. */
  recipients(): RecipientSummary[] {
    const out = new Map<string, RecipientSummary & { lastT: number; ds: Map<string, Omit<RecipientSummary['datasets'][number], 'last_tx_id'> & { t: number; pos: number }> }>();
    for (let pos = 0; pos < this.records.length; pos++) {
      const r = this.records[pos];
      if (r === undefined || (r.result !== 'success' && r.result !== 'partial')) continue;
      if (r.kind !== 'self-download' && r.kind !== 'delivery') continue;
      const t = this.times[pos] ?? 0;
      const key = recipientKey(r.recipient);
      let s = out.get(key);
      if (!s) {
        s = { recipient: r.recipient, transmissions: 0, last_time: r.time, datasets: [], lastT: t, ds: new Map() };
        out.set(key, s);
      }
      s.transmissions++;
      if (t >= s.lastT) {
        s.lastT = t;
        s.last_time = r.time;
        s.recipient = r.recipient; // the newest name wins when a provider renames itself
      }
      const d = s.ds.get(r.dataset.id);
      if (!d) s.ds.set(r.dataset.id, { id: r.dataset.id, name: r.dataset.name, provider: r.provider, count: 1, last_time: r.time, t, pos });
      else {
        d.count++;
        if (t >= d.t) Object.assign(d, { t, last_time: r.time, pos, name: r.dataset.name, provider: r.provider });
      }
    }
    return [...out.values()]
      .sort((a, b) => b.lastT - a.lastT)
      .map((s) => ({
        recipient: s.recipient,
        transmissions: s.transmissions,
        last_time: s.last_time,
        datasets: [...s.ds.values()]
          .sort((a, b) => b.t - a.t)
          .map((d) => ({ id: d.id, name: d.name, provider: d.provider, count: d.count, last_time: d.last_time, last_tx_id: this.load(d.pos).tx_id })),
      }));
  }
}

function push(map: Map<string, number[]>, key: string, pos: number): void {
  const list = map.get(key);
  if (list) list.push(pos);
  else map.set(key, [pos]);
}
