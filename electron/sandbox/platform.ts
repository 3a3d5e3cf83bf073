// The sandbox platform's API v1 (ARCHITECTURE §5): metadata, registry, catalogue, notices, transactions, one-time packages, service-provider requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resourcePath } from './resources.ts';
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Organization, SandboxWorld, Service } from './data.ts';
import type { SandboxKeys } from './keys.ts';
import { publicJwk } from './keys.ts';
import { HttpError, readJson, sendError, sendJson, type Handler } from './http.ts';
import { requireDataset, type AccessContext, type AccessVerifier } from './access.ts';
import type { IdpProfile } from './idp.ts';
import { resolveAccount } from './idp-accounts.ts';
import type { BuiltPackage, PackagePart } from './package.ts';
import { DatasetCode } from './codes.ts';
import { maskId } from '../common/ids.ts';
import { websiteDownload, websitePage } from './website.ts';
import { organizationView, PACKAGE_LIFETIME_MS, platformMetadata, serviceView } from './catalogue-views.ts';
import { assertConsentFits, chosenDatasets } from './consent-checks.ts';
import { sendPackage } from './package-serve.ts';
import { answerStatus, transactionStatus, type Transaction, type TxStatus } from './transactions.ts';
import { RequestRegistry, type RegisteredServiceProvider, type StoredRequest } from './sp-requests.ts';
import type { CatalogueService, PlatformMetadata } from '../protocol/catalogue.ts';
import type { RequestView } from '../protocol/requests.ts';
import { ConsentBodySchema, type ProviderLogRecord, type TransactionCreated } from '../protocol/transactions.ts';

export const OPENAPI_PATH = resourcePath('sandbox', 'openapi.json');

/** What a data provider can be told to do, to exercise partial failure (403) and total failure (504). */
export type ProviderFailure = 'error' | 'timeout';

export type { ProviderLogRecord };

export interface PlatformOptions {
  origin: string;
  world: SandboxWorld;
  keys: SandboxKeys;
  access: AccessVerifier;
  idps: { profile: IdpProfile; issuer: string }[];
  platformJwk: JWK;
  serviceProviders: RegisteredServiceProvider[];
  clock: () => number;
  preparationMs: number;
}

function notFound(code: string, zh: string, en: string): HttpError {
  return new HttpError(404, code, zh, en);
}

export class Platform {
  readonly options: PlatformOptions;
  readonly providerFailures = new Map<string, ProviderFailure>();
  /** Cuts the next package download after this many bytes, to exercise Range resume. */
  dropNextDownloadAfter: number | null = null;
  /** Sends only this many bytes of the next package download, then holds the connection open (a stalled network). */
  stallNextDownloadAfter: number | null = null;
  /** Package body bytes handed to the network so far (tests count what a resume fetches twice). */
  packageBytesServed = 0;
  readonly #transactions = new Map<string, Transaction>();
  readonly #spRequests: RequestRegistry;
  readonly #logs: ProviderLogRecord[] = [];
  readonly #openapi: string;
  readonly #signingKey: Promise<CryptoKey>;
  readonly #verifyingKey: Promise<CryptoKey>;

  constructor(options: PlatformOptions) {
    this.options = options;
    this.#spRequests = new RequestRegistry({ origin: options.origin, serviceProviders: options.serviceProviders, clock: options.clock, service: (id) => this.#service(id) });
    this.#openapi = readFileSync(OPENAPI_PATH, 'utf8');
    this.#signingKey = importJWK(options.platformJwk, 'ES256') as Promise<CryptoKey>;
    this.#verifyingKey = importJWK(publicJwk(options.platformJwk), 'ES256') as Promise<CryptoKey>;
  }

  providerLogs(filter: { provider?: string; tx_id?: string } = {}): ProviderLogRecord[] {
    return this.#logs.filter((r) => (!filter.provider || r.provider === filter.provider) && (!filter.tx_id || r.tx_id === filter.tx_id));
  }

  get handler(): Handler {
    return (req, res) => this.#route(req, res);
  }

  #org(id: string): Organization {
    const org = this.options.world.organizations.find((o) => o.id === id);
    if (!org) throw new Error(`unknown organisation ${id}`);
    return org;
  }

  serviceView(s: Service): CatalogueService {
    return serviceView(this.options.world, s);
  }

  metadata(): PlatformMetadata {
    return platformMetadata(this.options);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.options.origin);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const get = method === 'GET' || method === 'HEAD';
    try {
      let m: RegExpExecArray | null;
      if (get && path === '/.well-known/mydata-platform') { sendJson(res, 200, this.metadata()); return; }
      if (get && path === '/openapi.json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' });
        res.end(this.#openapi);
        return;
      }
      if (get && path === '/jwks') { sendJson(res, 200, { keys: [publicJwk(this.options.platformJwk)] }); return; }
      if (get && path === '/organizations') { sendJson(res, 200, this.options.world.organizations.map(organizationView)); return; }
      if (get && path === '/services') { sendJson(res, 200, this.options.world.services.map((s) => this.serviceView(s))); return; }
      if (get && (m = /^\/services\/([^/]+)$/.exec(path))) { sendJson(res, 200, this.serviceView(this.#service(decodeURIComponent(m[1] ?? '')))); return; }
      if (get && path === '/notices') { sendJson(res, 200, this.options.world.notices); return; }
      if (method === 'POST' && path === '/transactions') { await this.#createTransaction(req, res, url); return; }
      if (get && (m = /^\/transactions\/([A-Za-z0-9_-]+)$/.exec(path))) { await this.#transactionStatus(req, res, url, m[1] ?? ''); return; }
      if (get && (m = /^\/transactions\/([A-Za-z0-9_-]+)\/package$/.exec(path))) { await this.#selfPackage(req, res, url, m[1] ?? ''); return; }
      if (method === 'POST' && path === '/sp/requests') { await this.#registerRequest(req, res); return; }
      if (get && (m = /^\/requests\/(.+)$/.exec(path))) { this.#requestView(res, decodeURIComponent(m[1] ?? '')); return; }
      if (get && (m = /^\/sp\/transactions\/([A-Za-z0-9_-]+)\/package$/.exec(path))) { await this.#spPackage(req, res, m[1] ?? ''); return; }
      // The demo's stand-in for the official website's self-download (the app's "get my data from MyData" journey).
      if (get && (path === '/website' || path === '/website/')) { websitePage(res, this.options.world.people); return; }
      if (get && path === '/website/download') {
        const person = this.options.world.people.find((p) => p.id === url.searchParams.get('person'));
        if (!person) throw notFound('UNKNOWN_PERSON', '沒有這位示範人物。', 'No such demo person.');
        const { fileName, bytes } = await websiteDownload(person, new Date(this.options.clock()));
        res.writeHead(200, {
          'content-type': 'application/zip',
          'content-length': String(bytes.byteLength),
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
          'cache-control': 'no-store',
        });
        res.end(bytes);
        return;
      }
      if (get && path === '/sandbox/provider-logs') {
        sendJson(res, 200, this.providerLogs({ provider: url.searchParams.get('provider') ?? undefined, tx_id: url.searchParams.get('tx_id') ?? undefined })); return;
      }
      throw notFound('NOT_FOUND', '找不到這個 API 路徑。', 'No such API path.');
    } catch (error) {
      sendError(res, error);
    }
  }

  #service(id: string): Service {
    const service = this.options.world.services.find((s) => s.id === id);
    if (!service) throw notFound('UNKNOWN_SERVICE', '平臺上沒有這項服務。', 'The platform has no such service.');
    return service;
  }

  #htu(url: URL): string {
    return `${this.options.origin}${url.pathname}`;
  }

  async #createTransaction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const access = await this.options.access.verify(req, this.#htu(url));
    const parsed = ConsentBodySchema.safeParse(await readJson(req));
    if (!parsed.success) {
      throw new HttpError(400, 'INVALID_CONSENT', '同意內容格式不正確。', 'The consent is not in the expected format.', { issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    }
    const body = parsed.data;
    const service = this.#service(body.service_id);
    const org = this.#org(service.organization);
    const expectedDelivery = assertConsentFits(service, org, body, access);
    let request: StoredRequest | undefined;
    if (expectedDelivery === 'service-provider') {
      request = this.#spRequests.live(body.request_uri ?? '');
      if (request.service.id !== service.id) throw new HttpError(400, 'REQUEST_SERVICE_MISMATCH', '此請求不屬於這項服務。', 'The request belongs to another service.');
    }
    const datasets = chosenDatasets(service, body);
    if (body.decision === 'consent') {
      for (const sd of service.datasets) {
        const def = this.options.world.datasets.find((d) => d.id === sd.id);
        if (def) requireDataset(access, def);
      }
    }
    const account = resolveAccount(this.options.world, access.subject);
    if (!account) throw new HttpError(403, 'UNKNOWN_SUBJECT', '平臺不認得這位當事人。', 'The platform does not know this subject.');
    const now = this.options.clock();
    const tx: Transaction = {
      id: randomBytes(16).toString('base64url'),
      service,
      subject: access.subject,
      subjectType: access.subjectType,
      idMasked: account.company ? account.company.ban : maskId(account.person.national_id),
      subjectName: account.company ? `${account.company.name_zh}（代表人 ${account.person.name_zh}）` : account.person.name_zh,
      delivery: body.delivery,
      request,
      datasets,
      createdAt: now,
      readyAt: now + this.options.preparationMs,
      refused: body.decision === 'refuse',
      spNotified: false,
    };
    if (request) request.usedBy = tx.id;
    this.#transactions.set(tx.id, tx);
    if (tx.delivery === 'service-provider' && !tx.refused) {
      setTimeout(() => void this.#notifyServiceProvider(tx), this.options.preparationMs).unref();
    }
    const created: TransactionCreated = { tx_id: tx.id, status: tx.refused ? 205 : transactionStatus(tx, this.options.clock()).code as TransactionCreated['status'] };
    sendJson(res, 201, created, { location: `/transactions/${tx.id}` });
  }

  #transactionFor(access: AccessContext, txId: string): Transaction {
    const tx = this.#transactions.get(txId);
    // Another subject's transaction answers exactly as a missing one, so tx ids cannot be probed.
    if (!tx || tx.subject !== access.subject) throw notFound('UNKNOWN_TRANSACTION', '找不到這筆交易。', 'No such transaction.');
    return tx;
  }

  /** Builds the package once, when the transaction is ready; the providers' failures are read at that moment. */
  async #package(tx: Transaction): Promise<BuiltPackage> {
    tx.built ??= (async () => {
      const { world, keys } = this.options;
      const parts: PackagePart[] = [];
      for (const chosen of tx.datasets) {
        const dataset = world.datasets.find((d) => d.id === chosen.id);
        const sd = tx.service.datasets.find((d) => d.id === chosen.id);
        if (!dataset || !sd) continue;
        const provider = this.#org(dataset.provider);
        const failure = this.providerFailures.get(provider.id);
        const record = world.records[tx.subject]?.[dataset.id];
        const code = failure === 'timeout' ? DatasetCode.PROVIDER_TIMEOUT : failure === 'error' ? DatasetCode.PROVIDER_ERROR : record ? DatasetCode.OK : DatasetCode.NO_DATA;
        parts.push({
          dataset,
          provider,
          fields: sd.fields.filter((f) => chosen.fields.includes(f.name)),
          code,
          record,
          signer: code === DatasetCode.OK ? await keys.providerSigner(provider.id, provider.name_zh) : undefined,
        });
      }
      // pdf-lib, fontkit and zip.js load here, on the first package, not at start-up.
      const { buildPackage } = await import('./package.ts');
      const built = await buildPackage({ txId: tx.id, issuedAt: new Date(tx.readyAt), subject: { type: tx.subjectType, idMasked: tx.idMasked, name: tx.subjectName }, parts });
      tx.codes = built.codes;
      for (const c of built.codes) if (c.code !== DatasetCode.OK) this.#log(tx, c.dataset, c.code);
      return built;
    })();
    return tx.built;
  }

  #log(tx: Transaction, datasetId: string, code: number): void {
    const dataset = this.options.world.datasets.find((d) => d.id === datasetId);
    if (!dataset) return;
    const sp = tx.delivery === 'service-provider' ? this.#org(tx.service.organization) : undefined;
    this.#logs.push({
      provider: dataset.provider,
      dataset: dataset.id,
      dataset_name_zh: dataset.name_zh,
      dataset_name_en: dataset.name_en,
      time: new Date(this.options.clock()).toISOString(),
      recipient: sp ? { type: 'service-provider', id: sp.id, name_zh: sp.name_zh } : { type: 'self', id: null, name_zh: null },
      subject: { type: tx.subjectType, id_masked: tx.idMasked },
      result: code === DatasetCode.OK ? 'success' : 'failure',
      code,
      tx_id: tx.id,
    });
  }

  #delivered(tx: Transaction): void {
    if (tx.deliveredAt !== undefined) return;
    tx.deliveredAt = this.options.clock();
    for (const c of tx.codes ?? []) if (c.code === DatasetCode.OK) this.#log(tx, c.dataset, c.code);
  }

  async #readyStatus(tx: Transaction): Promise<TxStatus & { built?: BuiltPackage }> {
    let status = transactionStatus(tx, this.options.clock());
    if (status.code === 205 || status.code === 429) return status;
    const built = status.code === 410 && !tx.built ? undefined : await this.#package(tx);
    status = transactionStatus(tx, this.options.clock());
    return { ...status, built };
  }

  async #transactionStatus(req: IncomingMessage, res: ServerResponse, url: URL, txId: string): Promise<void> {
    const access = await this.options.access.verify(req, this.#htu(url));
    const tx = this.#transactionFor(access, txId);
    const status = await this.#readyStatus(tx);
    if (tx.delivery === 'service-provider' && status.built && !tx.spNotified) void this.#notifyServiceProvider(tx);
    answerStatus(res, this.options.world, tx, status);
  }

  async #selfPackage(req: IncomingMessage, res: ServerResponse, url: URL, txId: string): Promise<void> {
    const access = await this.options.access.verify(req, this.#htu(url));
    const tx = this.#transactionFor(access, txId);
    if (tx.delivery !== 'self') throw new HttpError(403, 'NOT_SELF_DELIVERY', '此交易的資料直接交付服務提供者，當事人無法下載。', 'This transaction delivers to the service provider; the subject cannot download it.');
    await this.#servePackage(req, res, tx);
  }

  async #servePackage(req: IncomingMessage, res: ServerResponse, tx: Transaction): Promise<void> {
    const status = await this.#readyStatus(tx);
    const built = status.built;
    if (!built || (status.code !== 200 && status.code !== 403)) {
      answerStatus(res, this.options.world, tx, status);
      return;
    }
    sendPackage(req, res, { name: `${tx.id}.zip`, built, code: status.code, faults: this, onComplete: () => this.#delivered(tx) });
  }

  // ---- service providers (G5) ----

  async #registerRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    sendJson(res, 201, await this.#spRequests.register(await readJson(req)));
  }

  #requestView(res: ServerResponse, uri: string): void {
    const request = this.#spRequests.live(uri);
    const org = this.#org(request.service.organization);
    const view: RequestView = {
      request_uri: request.uri,
      expires_at: new Date(request.expiresAt).toISOString(),
      service: this.serviceView(request.service),
      service_provider: { ...organizationView(org), origin: request.provider.origin },
      purpose_zh: request.service.purpose_zh,
      purpose_en: request.service.purpose_en,
      return_url: request.returnUrl,
    };
    sendJson(res, 200, view);
  }

  async #permissionTicket(tx: Transaction): Promise<string> {
    return new SignJWT({ tx_id: tx.id })
      .setProtectedHeader({ alg: 'ES256', kid: this.options.platformJwk.kid, typ: 'mydata-ticket+jwt' })
      .setIssuer(this.options.origin)
      .setAudience(tx.service.id)
      .setIssuedAt(Math.floor(this.options.clock() / 1000))
      .setExpirationTime(Math.floor((tx.readyAt + PACKAGE_LIFETIME_MS) / 1000))
      .setJti(randomBytes(12).toString('base64url'))
      .sign(await this.#signingKey);
  }

  async #notifyServiceProvider(tx: Transaction): Promise<void> {
    if (tx.spNotified || !tx.request || this.options.clock() < tx.readyAt) return;
    tx.spNotified = true;
    try {
      await this.#package(tx);
      const ticket = await this.#permissionTicket(tx);
      const response = await fetch(tx.request.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tx_id: tx.id, permission_ticket: ticket, state: tx.request.state }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) tx.spNotified = false;
    } catch (error) {
      tx.spNotified = false;
      console.error('[sandbox] service provider callback failed', error);
    }
  }

  async #spPackage(req: IncomingMessage, res: ServerResponse, txId: string): Promise<void> {
    const tx = this.#transactions.get(txId);
    const auth = req.headers.authorization ?? '';
    const ticket = /^Bearer (.+)$/.exec(auth)?.[1];
    if (!tx || tx.delivery !== 'service-provider' || !ticket) throw notFound('UNKNOWN_TRANSACTION', '找不到這筆交易。', 'No such transaction.');
    try {
      const { payload } = await jwtVerify(ticket, await this.#verifyingKey, { issuer: this.options.origin, audience: tx.service.id, typ: 'mydata-ticket+jwt', currentDate: new Date(this.options.clock()) });
      if (payload.tx_id !== tx.id) throw new Error('ticket for another transaction');
    } catch {
      throw new HttpError(401, 'TICKET_INVALID', '交付憑證無效或已過期。', 'The permission ticket is not valid or has expired.');
    }
    await this.#servePackage(req, res, tx);
  }
}
