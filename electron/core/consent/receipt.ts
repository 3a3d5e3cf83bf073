// Consent receipts (G12, ARCHITECTURE §8): built from the decision as a pure value, after the Kantara Consent Receipt.
import { randomUUID } from 'node:crypto';
import { RECEIPT_VERSION, ReceiptSchema, type Receipt, type ReceiptSummary } from '../../contract/consent.ts';
import type { IdentitySession } from '../../contract/identity.ts';
import { VERIFICATION_METHODS } from '../../contract/identity.ts';
import type { CatalogueService, Organization, ServiceField } from '../../contract/platform.ts';
import type { DatasetSelection } from './rules.ts';
import { maskId } from '../../common/ids.ts';

export interface ReceiptInput {
  id?: string;
  time: Date;
  decision: 'consent' | 'refuse';
  platform: { origin: string; name: { zh: string; en: string } };
  service: CatalogueService;
  selection: readonly DatasetSelection[];
  session: Pick<IdentitySession, 'subjectType' | 'maskedId' | 'company' | 'method' | 'level' | 'provider'>;
  txId: string;
  /** The service provider's request and its registered origin, for service-provider deliveries. */
  request: { uri: string; origin: string } | null;
  history: { head: string; count: number };
}

export function newReceiptId(): string {
  return `rcpt-${randomUUID()}`;
}

function field(f: ServiceField): Receipt['data_categories'][number]['consented'][number] {
  return {
    name: f.name,
    label: { zh: f.label_zh, en: f.label_en },
    required: f.required,
    purpose: f.purpose_zh && f.purpose_en ? { zh: f.purpose_zh, en: f.purpose_en } : null,
  };
}

function controller(o: Organization, role: 'service-provider' | 'data-provider'): Receipt['controllers'][number] {
  return {
    id: o.id,
    name: { zh: o.name_zh, en: o.name_en },
    role,
    category: o.category,
    approving_authority: { zh: o.approving_authority_zh, en: o.approving_authority_en },
  };
}

/**
 * The controller is whoever decides what happens to the data next: the service provider when it receives the data;
 * for a self-download, the data providers that release it (the person then holds their own copy).
 */
export function buildReceipt(input: ReceiptInput): Receipt {
  const { service, session } = input;
  const toProvider = service.kind === 'service-provider';
  const dataProviders = [...new Map(service.datasets.map((d) => [d.provider.id, d.provider])).values()];
  const method = VERIFICATION_METHODS.find((m) => m.id === session.method);
  const receipt: Receipt = {
    version: RECEIPT_VERSION,
    receipt_id: input.id ?? newReceiptId(),
    jurisdiction: 'TW',
    timestamp: input.time.toISOString(),
    decision: input.decision,
    collection_method: toProvider ? 'app-service-provider-request' : 'app-self-download',
    platform: input.platform,
    service: { id: service.id, name: { zh: service.name_zh, en: service.name_en }, status: service.status },
    controllers: toProvider ? [controller(service.organization, 'service-provider')] : dataProviders.map((p) => controller(p, 'data-provider')),
    recipient: toProvider
      ? {
          kind: 'service-provider',
          id: service.organization.id,
          name: { zh: service.organization.name_zh, en: service.organization.name_en },
          origin: input.request?.origin ?? null,
          retention: service.retention_zh && service.retention_en ? { zh: service.retention_zh, en: service.retention_en } : null,
        }
      : { kind: 'self' },
    purpose: { zh: service.purpose_zh, en: service.purpose_en },
    data_categories: service.datasets.map((d) => {
      const chosen = input.selection.find((s) => s.id === d.id);
      return {
        dataset: { id: d.id, name: { zh: d.name_zh, en: d.name_en } },
        provider: { id: d.provider.id, name: { zh: d.provider.name_zh, en: d.provider.name_en } },
        level_required: d.level_required,
        // A refusal consents to nothing: every field is listed as declined.
        consented: input.decision === 'consent' ? (chosen?.consented ?? []).map(field) : [],
        declined: input.decision === 'consent' ? (chosen?.declined ?? []).map(field) : d.fields.map(field),
      };
    }),
    terms: { version: service.terms.version, sha256: service.terms.sha256 },
    subject: {
      type: session.subjectType,
      masked_id: session.maskedId,
      company_masked_id: session.company ? maskId(session.company.ban) : null,
    },
    verification: {
      method: session.method,
      name: { zh: method?.name_zh ?? session.method, en: method?.name_en ?? session.method },
      level: session.level,
      provider: session.provider,
    },
    tx_id: input.txId,
    request_uri: input.request?.uri ?? null,
    history: { chain_head: input.history.head, count: input.history.count },
  };
  return ReceiptSchema.parse(receipt);
}

export function summarize(r: Receipt): ReceiptSummary {
  return {
    receipt_id: r.receipt_id,
    timestamp: r.timestamp,
    decision: r.decision,
    service: { id: r.service.id, name: r.service.name },
    recipient: r.recipient.kind === 'self' ? { zh: '本人（自行下載）', en: 'Myself (self-download)' } : r.recipient.name,
    tx_id: r.tx_id,
  };
}
