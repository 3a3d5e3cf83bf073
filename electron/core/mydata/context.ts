// What every part of My data is given (stores, clock, directory, identity, dialogs) and the facts they derive from it alike: the person as the history names them, the datasets of a service, the profile's trust.
import type { CatalogueService } from '../../contract/platform.ts';
import type { DownloadTask } from '../../contract/package.ts';
import type { IdentitySession } from '../../contract/identity.ts';
import type { HistorySubject } from '../../contract/history.ts';
import type { DownloadDeps } from '../package/download.ts';
import type { PlatformFetcher } from '../package/download-transport.ts';
import type { DatasetInfo } from '../package/into-vault.ts';
import { catalogueBindings } from '../package/signers.ts';
import type { TrustMaterial } from '../package/trust.ts';
import type { Clock } from '../ports.ts';
import type { LocalStores } from '../stores.ts';
import type { PassphraseOptions } from '../vault/index.ts';

/** Main's dialogs (Electron's in the app, a stub in the browser tests); null means the person cancelled. */
export interface FileDialogs {
  chooseFolder(purpose: 'export'): Promise<string | null>;
  chooseFile(purpose: 'import'): Promise<string | null>;
}

export interface Directory {
  services: CatalogueService[];
  trustAnchors: string[];
}

export interface MyDataOptions {
  stores: LocalStores;
  profileDir: string;
  clock: Clock;
  /** The platform's directory: services (names, datasets) and trust anchors. */
  directory(): Promise<Directory>;
  /**
   * The profile's own trust material when it is not the catalogue's (the official profile: GRCA G3 and the shipped
   * bindings of real datasets). Absent: the catalogue's anchors and the signers its providers state (demo).
   */
  trust?: () => TrustMaterial;
  /** The current directory without fetching (names for views); null when none was loaded. */
  knownServices(): CatalogueService[];
  identity: { session(): IdentitySession | null; platformClient(): PlatformFetcher };
  dialogs: FileDialogs | null;
  onTask(task: DownloadTask): void;
  /** For tests: overrides of the download's dependencies (waits, limits). */
  downloadOverrides?: Partial<DownloadDeps>;
  /** The demo profile: imports are labelled demo and never mixed with real sources. */
  demo?: () => boolean;
  /** The dataset registry (real ids and names), when there is one, for naming imported files. */
  datasets?: () => DatasetInfo[];
  /** For tests: a lower scrypt cost for vault passphrases. */
  passphraseOptions?: PassphraseOptions;
}

export function datasetsOf(service: CatalogueService | undefined): DatasetInfo[] {
  return (service?.datasets ?? []).map((d) => ({
    id: d.id,
    name: { zh: d.name_zh, en: d.name_en },
    provider: { id: d.provider.id, name: { zh: d.provider.name_zh, en: d.provider.name_en } },
  }));
}

/** The company's 統一編號 or the person's ID, masked as the history requires (last four hidden). */
export function historySubject(session: IdentitySession): HistorySubject {
  if (session.subjectType === 'legal' && session.company) return { masked_id: `${session.company.ban.slice(0, 4)}****`, type: 'legal' };
  return { masked_id: session.maskedId, type: 'natural' };
}

/** The identifiers of the verified person, as the signed content may name them (masked; the import's ID in full). */
export function subjectIds(session: IdentitySession | null, id: string | undefined): string[] {
  const ids: string[] = [];
  if (session) ids.push(session.subjectType === 'legal' && session.company ? session.company.ban : session.maskedId);
  if (id !== undefined && id !== '') ids.push(id);
  return ids;
}

/** The profile's trust: its own (official) or the catalogue's anchors and its providers' stated signers (demo); never both. */
export function trustOf(options: MyDataOptions, directory: Directory): TrustMaterial {
  if (options.trust) return options.trust();
  return { anchors: directory.trustAnchors, intermediates: [], signers: catalogueBindings(directory.services) };
}

export async function directoryOrEmpty(options: MyDataOptions): Promise<Directory> {
  try {
    return await options.directory();
  } catch {
    // Offline with no copy: an import still verifies signatures and digests; issuers show as not recognised.
    return { services: [], trustAnchors: [] };
  }
}
