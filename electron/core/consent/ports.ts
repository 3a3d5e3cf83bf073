// What ConsentService is given: the parts of identity, the platform directory and the stores it uses, and its options.
import type { HistoryEntryInput, HistoryRecord } from '../../contract/history.ts';
import type { IdentitySession, SessionFit, DatasetNeed } from '../../contract/identity.ts';
import type { CatalogueService, Notice } from '../../protocol/catalogue.ts';
import type { PlatformFetcher } from '../../protocol/client.ts';
import type { Clock } from '../ports.ts';

/** The parts of IdentityService consent uses (the real one in main, a fake in unit tests). */
export interface ConsentIdentity {
  session(): IdentitySession | null;
  fit(datasets: readonly DatasetNeed[]): SessionFit;
  platformClient(): PlatformFetcher;
}

/** The parts of the platform directory consent uses: services and notices (for the status gate) and the platform's name. */
export interface ConsentDirectory {
  get(): Promise<{ platform: string; services: CatalogueService[]; notices: Notice[]; metadata: { name: { zh: string; en: string } } }>;
}

export interface ConsentHistory {
  append(input: HistoryEntryInput): Promise<unknown>;
  head(): string;
  /** Chain length (pruned records included): what a receipt's `count` means. */
  readonly length: number;
  /** The records so far (resumeDeliveries looks for transactions whose outcome is not recorded yet). */
  records(): readonly Pick<HistoryRecord, 'tx_id' | 'kind'>[];
}

export interface ConsentStores {
  get(): Promise<{ vault: { deriveKey(purpose: string): Uint8Array }; history: ConsentHistory }>;
}

export interface ConsentServiceOptions {
  identity: ConsentIdentity;
  directory: ConsentDirectory;
  stores: ConsentStores;
  /** The profile folder; receipts live in its `receipts/`. */
  profileDir: string;
  clock?: Clock;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** How long follow() waits for a service provider's delivery before answering STATUS_TIMEOUT (the transaction goes on). */
  followTimeoutMs?: number;
  /** The channel that downloads a self-download package, when it exists. */
  downloadChannel?: string | null;
  fontPath?: string;
}
