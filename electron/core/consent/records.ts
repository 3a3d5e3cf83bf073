// Consent's history records: who and what one transaction's records name, taken from the decision or from its receipt.
import type { Receipt } from '../../contract/consent.ts';
import type { HistoryEntryInput, HistoryRecipient, HistorySubject, LocalizedName } from '../../contract/history.ts';
import type { IdentitySession } from '../../contract/identity.ts';
import type { CatalogueService } from '../../protocol/catalogue.ts';
import { maskId } from '../../common/ids.ts';
import type { Clock } from '../ports.ts';

/** Everything a history record of one transaction carries besides its outcome. */
export interface EntryRef {
  txId: string;
  receiptId: string | null;
  termsSha256: string;
  service: { id: string; name: LocalizedName };
  recipient: HistoryRecipient;
  subject: HistorySubject;
  method: string;
  level: number;
  datasets: readonly { dataset: { id: string; name: LocalizedName }; provider: { id: string; name: LocalizedName } }[];
}

export function entryRef(txId: string, receiptId: string | null, service: CatalogueService, session: IdentitySession): EntryRef {
  return {
    txId,
    receiptId,
    termsSha256: service.terms.sha256,
    service: { id: service.id, name: { zh: service.name_zh, en: service.name_en } },
    recipient: service.kind === 'self-download'
      ? { kind: 'self' }
      : { kind: 'service-provider', id: service.organization.id, name: { zh: service.organization.name_zh, en: service.organization.name_en } },
    subject: session.subjectType === 'legal' && session.company ? { masked_id: maskId(session.company.ban), type: 'legal' } : { masked_id: session.maskedId, type: 'natural' },
    method: session.method,
    level: session.level,
    datasets: service.datasets.map((d) => ({
      dataset: { id: d.id, name: { zh: d.name_zh, en: d.name_en } },
      provider: { id: d.provider.id, name: { zh: d.provider.name_zh, en: d.provider.name_en } },
    })),
  };
}

/** The same from a consent's receipt: what was decided then (terms, datasets, verification), not today's catalogue. */
export function entryRefOfReceipt(receipt: Receipt): EntryRef {
  return {
    txId: receipt.tx_id,
    receiptId: receipt.receipt_id,
    termsSha256: receipt.terms.sha256,
    service: { id: receipt.service.id, name: receipt.service.name },
    recipient: receipt.recipient.kind === 'self' ? { kind: 'self' } : { kind: 'service-provider', id: receipt.recipient.id, name: receipt.recipient.name },
    subject: receipt.subject.type === 'legal' && receipt.subject.company_masked_id !== null
      ? { masked_id: receipt.subject.company_masked_id, type: 'legal' }
      : { masked_id: receipt.subject.masked_id, type: 'natural' },
    method: receipt.verification.method,
    level: receipt.verification.level,
    datasets: receipt.data_categories.map((c) => ({ dataset: c.dataset, provider: c.provider })),
  };
}

/** One history record; `time` is when it happened when the platform said so, else the clock's now. */
export function historyEntry(clock: Clock, t: EntryRef, datasetId: string, what: Pick<HistoryEntryInput, 'kind' | 'result' | 'code'>, time?: string): HistoryEntryInput {
  const d = t.datasets.find((x) => x.dataset.id === datasetId);
  if (!d) throw new Error(`dataset ${datasetId} not in service ${t.service.id}`);
  return {
    time: time === undefined ? clock.now().toISOString() : new Date(time).toISOString(),
    ...what,
    dataset: d.dataset,
    provider: d.provider,
    service: t.service,
    recipient: t.recipient,
    subject: t.subject,
    method: t.method,
    assurance_level: t.level,
    tx_id: t.txId,
    receipt_id: t.receiptId,
    terms_sha256: t.termsSha256,
  };
}

/** The person now verified is the one who consented (same masked ID and subject type, and the same company). */
export function sameSubject(receipt: Receipt, session: IdentitySession): boolean {
  const company = session.company ? maskId(session.company.ban) : null;
  return receipt.subject.type === session.subjectType && receipt.subject.masked_id === session.maskedId && receipt.subject.company_masked_id === company;
}
