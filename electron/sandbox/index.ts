// startSandbox(): the whole embedded sandbox platform on 127.0.0.1 — platform API, accredited IdPs, service-provider simulators.
import { join } from 'node:path';
import { homedir } from 'node:os';
import type { Handler, Listening } from './http.ts';
import { listen } from './http.ts';
import { loadWorld, DEFAULT_RESOURCES_DIR, type SandboxWorld } from './data.ts';
import { SandboxKeys, publicJwk } from './keys.ts';
import { createIdp, IDP_PROFILES, NATIVE_CLIENT_ID, DATASET_SCOPE_PREFIX } from './idp.ts';
import { CardRegistry } from './idp-accounts.ts';
import { AccessVerifier } from './access.ts';
import { Platform, type ProviderFailure, type ProviderLogRecord } from './platform.ts';
import { createServiceProvider, buildDeepLink, type ServiceProviderSim } from './sp.ts';

export { NATIVE_CLIENT_ID, DATASET_SCOPE_PREFIX, buildDeepLink };
export type { ProviderLogRecord, ProviderFailure, ServiceProviderSim, SandboxWorld };

export interface SandboxOptions {
  /** Where the CA, keys and secrets live; created on first start. Default ~/.mydata-desktop/sandbox. */
  stateDir?: string;
  /** Port of the platform API on 127.0.0.1 (0 = any free port). IdPs and service providers take free ports. */
  port?: number;
  resourcesDir?: string;
  /** How long a transaction prepares before it is ready (answers 429 meanwhile). Default 3000 ms; tests use 0. */
  preparationMs?: number;
  /** Business clock (ms) for preparation, expiry and request lifetimes; injectable so tests can jump 8 hours. */
  clock?: () => number;
}

export interface SandboxIdpInfo {
  id: string;
  issuer: string;
  name_zh: string;
  name_en: string;
  methods: string[];
}

export interface SandboxControls {
  /** Makes a data provider fail until cleared (null): 'error' → dataset code 500, 'timeout' → 504. */
  setProviderFailure(providerId: string, failure: ProviderFailure | null): void;
  /** Cuts the next package download after this many bytes. */
  dropNextDownloadAfter(bytes: number): void;
  /** Sends only this many bytes of the next package download, then holds the connection open until the client leaves. */
  stallNextDownloadAfter(bytes: number): void;
  /** Package body bytes sent so far, over every download (what a resume fetches twice shows here). */
  packageBytesServed(): number;
  /** Unlocks every simulated card. */
  resetCards(): void;
}

export interface RunningSandbox {
  platform: string;
  idps: SandboxIdpInfo[];
  serviceProviders: ServiceProviderSim[];
  stateDir: string;
  world: SandboxWorld;
  caPem: string;
  controls: SandboxControls;
  providerLogs(filter?: { provider?: string; tx_id?: string }): ProviderLogRecord[];
  stop(): Promise<void>;
}

export const DEFAULT_STATE_DIR = join(homedir(), '.mydata-desktop', 'sandbox');

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const stateDir = options.stateDir ?? DEFAULT_STATE_DIR;
  const clock = options.clock ?? Date.now;
  const world = await loadWorld(options.resourcesDir ?? DEFAULT_RESOURCES_DIR);
  const spServices = world.services.filter((s) => s.kind === 'service-provider');

  // Servers listen first, so every component can be told the others' URLs before it is built.
  const handlers = new Map<Listening, Handler>();
  const bind = async (port: number): Promise<Listening> => {
    const l: Listening = await listen(port, () => handlers.get(l) ?? ((_req, res) => { res.writeHead(503).end(); }));
    return l;
  };
  const [keys, platformServer, ...rest] = await Promise.all([
    SandboxKeys.open(stateDir),
    bind(options.port ?? 0),
    ...IDP_PROFILES.map(() => bind(0)),
    ...spServices.map(() => bind(0)),
  ]);
  const idpServers = rest.slice(0, IDP_PROFILES.length);
  const spServers = rest.slice(IDP_PROFILES.length);
  const servers = [platformServer, ...rest];
  try {
    const platformOrigin = platformServer.origin;
    const cards = new CardRegistry();
    const cookieSecret = await keys.secret('idp-cookies');
    const idpJwks = await Promise.all(IDP_PROFILES.map((p) => keys.ecJwk(`idp-${p.id}`)));
    const idps = IDP_PROFILES.map((profile, i) => createIdp({
      profile,
      issuer: idpServers[i]?.origin ?? '',
      platformAudience: platformOrigin,
      world,
      signingJwk: idpJwks[i] ?? {},
      cookieSecret,
      cards,
    }));
    idps.forEach((idp, i) => { const s = idpServers[i]; if (s) handlers.set(s, idp.handler); });

    const spJwks = await Promise.all(spServices.map((s) => keys.ecJwk(`sp-${s.id}`)));
    const serviceProviders = spServices.map((service, i) => {
      const organization = world.organizations.find((o) => o.id === service.organization);
      const server = spServers[i];
      const jwk = spJwks[i];
      if (!organization || !server || !jwk) throw new Error(`service provider ${service.id} cannot start`);
      const sim = createServiceProvider({ service, organization, origin: server.origin, platformOrigin, signingJwk: jwk });
      handlers.set(server, sim.handler);
      return sim;
    });

    const access = new AccessVerifier({
      audience: platformOrigin,
      issuers: new Map(idps.map((idp, i) => [idp.issuer, [publicJwk(idpJwks[i] ?? {})]])),
      // Tokens and DPoP proofs are made by real clocks (the IdP's and the app's), so they are checked against the real clock.
      nowSeconds: () => Math.floor(Date.now() / 1000),
    });
    const platform = new Platform({
      origin: platformOrigin,
      world,
      keys,
      access,
      idps: idps.map((idp) => ({ profile: idp.profile, issuer: idp.issuer })),
      platformJwk: await keys.ecJwk('platform'),
      serviceProviders: serviceProviders.map((sp, i) => ({ serviceId: sp.service.id, origin: sp.origin, publicKey: publicJwk(spJwks[i] ?? {}) })),
      clock,
      preparationMs: options.preparationMs ?? 3000,
    });
    handlers.set(platformServer, platform.handler);

    return {
      platform: platformOrigin,
      idps: idps.map((idp) => ({ id: idp.profile.id, issuer: idp.issuer, name_zh: idp.profile.name_zh, name_en: idp.profile.name_en, methods: idp.profile.methods })),
      serviceProviders,
      stateDir,
      world,
      caPem: keys.caPem,
      controls: {
        setProviderFailure: (id, failure) => {
          if (failure) platform.providerFailures.set(id, failure);
          else platform.providerFailures.delete(id);
        },
        dropNextDownloadAfter: (bytes) => { platform.dropNextDownloadAfter = bytes; },
        stallNextDownloadAfter: (bytes) => { platform.stallNextDownloadAfter = bytes; },
        packageBytesServed: () => platform.packageBytesServed,
        resetCards: () => { cards.reset(); },
      },
      providerLogs: (filter) => platform.providerLogs(filter),
      stop: async () => { await Promise.all(servers.map((s) => s.close())); },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    throw error;
  }
}
