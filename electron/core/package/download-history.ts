// The download's history records (G14): one per dataset, written only once the outcome is final (kept, or lost with the ticket spent, or refused for good).
import type { HistoryEntryInput, HistorySubject, LocalizedName } from '../../contract/history.ts';
import type { Clock } from '../ports.ts';
import type { DatasetInfo } from './into-vault.ts';
import type { PackageVerdict } from './verify.ts';

export interface HistorySink {
  append(entry: HistoryEntryInput): Promise<unknown>;
  /** Whether the history holds any record of this transaction (when the sink can tell). */
  records?(): readonly { tx_id: string }[];
}

/** What the history needs of a download: the transaction, its service and datasets, and who consented how. */
export interface RecordedJob {
  txId: string;
  service: { id: string; name: LocalizedName };
  /** The service's datasets from the catalogue (names for the screen and the history). */
  datasets: readonly DatasetInfo[];
  /** Who consented and how, for the history (G14); null writes no history (benchmarks). */
  record: {
    subject: HistorySubject;
    method: string;
    level: number;
    receiptId: string | null;
    termsSha256: string | null;
  } | null;
}

export interface HistoryRow {
  dataset: DatasetInfo;
  result: 'success' | 'failure';
  code: string;
}

/** One row per dataset of the verdict: delivered datasets succeed with '200', the rest fail with their own code. */
export function historyRows(job: RecordedJob, verdict: PackageVerdict): HistoryRow[] {
  const rows: HistoryRow[] = [];
  for (const p of verdict.providers) {
    const dataset = job.datasets.find((d) => d.id === p.resource_id) ?? {
      id: p.resource_id || 'unknown',
      name: { zh: p.resource_name ?? p.resource_id, en: p.resource_id },
      provider: { id: 'unknown', name: { zh: '未知', en: 'unknown' } },
    };
    const delivered = p.status === 'verified' || p.status === 'issuer-not-recognised' || p.status === 'no-known-signer';
    rows.push({ dataset, result: delivered ? 'success' : 'failure', code: p.code ?? (delivered ? '200' : p.errors[0]?.code ?? 'failed') });
  }
  for (const d of job.datasets) {
    if (!rows.some((r) => r.dataset.id === d.id)) rows.push({ dataset: d, result: 'failure', code: 'MISSING_FROM_PACKAGE' });
  }
  return rows;
}

/** Every dataset of the job failed with one code (or its own, from `codes`). */
export function failureRows(job: RecordedJob, code: string, codes?: Map<string, string>): HistoryRow[] {
  return job.datasets.map((d) => ({ dataset: d, result: 'failure' as const, code: codes?.get(d.id) ?? code }));
}

export async function writeHistory(history: HistorySink | null, clock: Clock, job: RecordedJob, rows: HistoryRow[]): Promise<void> {
  if (history === null || job.record === null) return;
  const record = job.record;
  const time = clock.now().toISOString();
  for (const row of rows) {
    await history.append({
      time,
      kind: 'self-download',
      dataset: { id: row.dataset.id, name: { zh: row.dataset.name.zh || row.dataset.id, en: row.dataset.name.en || row.dataset.id } },
      provider: { id: row.dataset.provider.id, name: { zh: row.dataset.provider.name.zh || row.dataset.provider.id, en: row.dataset.provider.name.en || row.dataset.provider.id } },
      service: { id: job.service.id, name: { zh: job.service.name.zh || job.service.id, en: job.service.name.en || job.service.id } },
      recipient: { kind: 'self' },
      subject: record.subject,
      method: record.method,
      assurance_level: record.level,
      result: row.result,
      code: row.code,
      tx_id: job.txId,
      receipt_id: record.receiptId,
      terms_sha256: record.termsSha256,
    });
  }
}
