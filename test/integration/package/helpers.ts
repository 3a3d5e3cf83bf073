// Set-up for the download integration tests: a sandbox with a movable clock and a two-dataset self-download service,
// a real login through the identity helpers, a real consent (POST /transactions), a vault and a history log in a temp folder.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityService, type PlatformClient } from '../../../electron/core/identity/index.ts';
import { HistoryLog } from '../../../electron/core/history/log.ts';
import type { DownloadDeps, DownloadJob } from '../../../electron/core/package/download.ts';
import type { DatasetInfo } from '../../../electron/core/package/into-vault.ts';
import type { Clock } from '../../../electron/core/ports.ts';
import { openVault, type Vault } from '../../../electron/core/vault/index.ts';
import { DEFAULT_RESOURCES_DIR } from '../../../electron/sandbox/data.ts';
import { providerSignerIdentity } from '../../../electron/sandbox/keys.ts';
import type { SignerBindings } from '../../../electron/core/package/signers.ts';
import { startSandbox, type RunningSandbox } from '../../../electron/sandbox/index.ts';
import { PERSONAS, scriptedBrowser } from '../identity/fixture.ts';
import { insecureTestProtector } from '../../unit/vault/helpers.ts';
import { consentToEverything } from '../../support/platform.ts';

/** A self-download service with two datasets from two providers, so one provider can fail while the other delivers (403). */
export const TWO_DATASET_SERVICE = 'sd-test-two';

export interface World {
  sandbox: RunningSandbox;
  /** Moves the sandbox's business clock (preparation, expiry) forward. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function openWorld(): Promise<World> {
  const root = await mkdtemp(join(tmpdir(), 'download-it-'));
  const resources = join(root, 'resources');
  await cp(DEFAULT_RESOURCES_DIR, resources, { recursive: true });
  const servicesPath = join(resources, 'services.json');
  const catalogue = JSON.parse(await readFile(servicesPath, 'utf8')) as { services: Record<string, unknown>[] };
  catalogue.services.push({
    id: TWO_DATASET_SERVICE, kind: 'self-download', organization: 'moi-dhr', status: 'live', subject_type: 'natural',
    name_zh: '下載戶籍與所得（測試）', name_en: 'Download household and income (test)',
    purpose_zh: '測試部分失敗。', purpose_en: 'Tests a partial failure.',
    terms: { version: 't1', text: 'test terms' },
    datasets: [{ id: 'API.UDauDOLyZg', fields: 'all' }, { id: 'API.syWqjr4flJ', fields: 'all' }],
  });
  await writeFile(servicesPath, JSON.stringify(catalogue));
  let offset = 0;
  const sandbox = await startSandbox({ stateDir: join(root, 'state'), resourcesDir: resources, preparationMs: 0, clock: () => Date.now() + offset });
  return {
    sandbox,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      await sandbox.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Logs 王小明 in with 自然人憑證 for the datasets of `serviceId`, through the IdP's pages (real OIDC, PAR, DPoP). */
export async function login(world: World, serviceId: string): Promise<IdentityService> {
  const service = world.sandbox.world.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`no service ${serviceId}`);
  const browser = scriptedBrowser({ subject: PERSONAS.wang.subject, method: 'moica', pin: PERSONAS.wang.pin });
  const identity = new IdentityService({ platformUrl: world.sandbox.platform, openBrowser: browser.openBrowser });
  const idp = world.sandbox.idps.find((i) => i.id === 'twca');
  if (!idp) throw new Error('no twca');
  const tx = await identity.begin({ subjectType: 'natural', issuer: idp.issuer, requiredLevel: service.level_required, datasets: service.datasets.map((d) => d.id) });
  await tx.session;
  return identity;
}

/** Consents to every field of `serviceId` for self-download; answers the tx_id. */
export async function consent(world: World, client: PlatformClient, serviceId: string): Promise<string> {
  const service = world.sandbox.world.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`no service ${serviceId}`);
  return consentToEverything(client, service);
}

export function jobFor(world: World, identity: IdentityService, serviceId: string, txId: string): DownloadJob {
  const { world: data } = world.sandbox;
  const service = data.services.find((s) => s.id === serviceId);
  if (!service) throw new Error(`no service ${serviceId}`);
  const datasets: DatasetInfo[] = service.datasets.map((d) => {
    const org = data.organizations.find((o) => o.id === d.provider);
    return { id: d.id, name: { zh: d.name_zh, en: d.name_en }, provider: { id: d.provider, name: { zh: org?.name_zh ?? d.provider, en: org?.name_en ?? d.provider } } };
  });
  const session = identity.session();
  if (!session) throw new Error('no session');
  return {
    txId,
    service: { id: service.id, name: { zh: service.name_zh, en: service.name_en } },
    datasets,
    record: { subject: { masked_id: session.maskedId, type: 'natural' }, method: session.method, level: session.level, receiptId: 'receipt-1', termsSha256: service.terms.sha256 },
  };
}

export interface Stores {
  dir: string;
  vault: Vault;
  history: HistoryLog;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

export async function openStores(): Promise<Stores> {
  const dir = await mkdtemp(join(tmpdir(), 'download-stores-'));
  const vault = await openVault({ dir: join(dir, 'vault'), protector: insecureTestProtector(), clock: systemClock });
  const history = await HistoryLog.open({ dir: join(dir, 'history'), key: vault.deriveKey('history'), clock: systemClock, retentionYears: 2 });
  return {
    dir,
    vault,
    history,
    close: async () => {
      await history.close();
      vault.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Who may sign each sandbox dataset: its provider's signer, as the sandbox catalogue states it. */
export function sandboxSigners(world: World): SignerBindings {
  const { organizations, datasets } = world.sandbox.world;
  return new Map(
    datasets.map((d) => {
      const org = organizations.find((o) => o.id === d.provider);
      return [d.id, { dataset: { zh: d.name_zh, en: d.name_en }, provider: org ? { zh: org.name_zh, en: org.name_en } : null, signers: org ? [providerSignerIdentity(org.id, org.name_zh)] : [] }];
    }),
  );
}

export function depsFor(world: World, identity: IdentityService, stores: Stores, extra: Partial<DownloadDeps> = {}): DownloadDeps {
  return {
    platform: identity.platformClient(),
    vault: stores.vault,
    history: stores.history,
    spoolDir: join(stores.dir, 'spool'),
    trustAnchors: [world.sandbox.caPem],
    clock: systemClock,
    sleep: () => Promise.resolve(),
    verifyOptions: { signers: sandboxSigners(world) },
    ...extra,
  };
}
