// The sandbox platform's API v1 (ARCHITECTURE §5): metadata, registry, catalogue, notices, transactions, one-time packages, service-provider requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { resourcePath } from './resources.ts';
import { importJWK, jwtVerify, SignJWT, type JWK } from 'jose';
import type { Organization, SandboxWorld, Service } from './data.ts';
import type { SandboxKeys } from './keys.ts';
import { providerSignerIdentity, publicJwk } from './keys.ts';
import { HttpError, readJson, sendError, sendJson, type Handler } from './http.ts';
import { requireDataset, type AccessContext, type AccessVerifier } from './access.ts';
import { AUTH_METHODS } from './methods.ts';
import { DATASET_SCOPE_PREFIX, NATIVE_CLIENT_ID, resolveAccount, type IdpProfile } from './idp.ts';
import type { BuiltPackage, PackagePart } from './package.ts';
import { DatasetCode } from './codes.ts';
import { maskId } from '../common/ids.ts';
import { websiteDownload, websitePage } from './website.ts';
import type { CatalogueService, Organization as WireOrganization, PlatformMetadata } from '../protocol/catalogue.ts';
import { RequestObjectClaimsSchema, RequestRegistrationSchema, type RequestRegistered, type RequestView } from '../protocol/requests.ts';
import { ConsentBodySchema, type ProviderLogRecord, type TransactionCreated, type TransactionStatus } from '../protocol/transactions.ts';

export const OPENAPI_PATH = resourcePath('sandbox', 'openapi.json');
export const PACKAGE_LIFETIME_MS = 8 * 3600_000;
const REQUEST_LIFETIME_S = 600;

/** What a data provider can be told to do, to exercise partial failure (403) and total failure (504). */
export type ProviderFailure = 'error' | 'timeout';

export type { ProviderLogRecord };

export interface RegisteredServiceProvider {
  serviceId: string;
  origin: string;
  publicKey: JWK;
}

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

interface Transaction {
  id: string;
  service: Service;
  subject: string;
  subjectType: 'natural' | 'legal';
  idMasked: string;
  subjectName: string;
  delivery: 'self' | 'service-provider';
  request?: StoredRequest;
  datasets: { id: string; fields: string[] }[];
  createdAt: number;
  readyAt: number;
  refused: boolean;
  built?: Promise<BuiltPackage>;
  codes?: BuiltPackage['codes'];
  deliveredAt?: number;
  spNotified: boolean;
}

interface StoredRequest {
  uri: string;
  service: Service;
  provider: RegisteredServiceProvider;
  returnUrl: string;
  callbackUrl: string;
  state: string | null;
  expiresAt: number;
  usedBy?: string;
}

function notFound(code: string, zh: string, en: string): HttpError {
  return new HttpError(404, code, zh, en);
}

/** An organisation as the catalogue serves it; a data provider with the signer identity its packages carry (G4, G9). */
export function organizationView(o: Organization): WireOrganization {
  return o.roles.includes('data-provider') ? { ...o, signers: [providerSignerIdentity(o.id, o.name_zh)] } : { ...o };
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
  readonly #requests = new Map<string, StoredRequest>();
  readonly #requestJtis = new Set<string>();
  readonly #logs: ProviderLogRecord[] = [];
  readonly #openapi: string;
  readonly #signingKey: Promise<CryptoKey>;
  readonly #verifyingKey: Promise<CryptoKey>;

  constructor(options: PlatformOptions) {
    this.options = options;
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
    return {
      id: s.id,
      kind: s.kind,
      name_zh: s.name_zh,
      name_en: s.name_en,
      status: s.status,
      subject_type: s.subject_type,
      purpose_zh: s.purpose_zh,
      purpose_en: s.purpose_en,
      retention_zh: s.retention_zh ?? null,
      retention_en: s.retention_en ?? null,
      organization: organizationView(this.#org(s.organization)),
      terms: s.terms,
      level_required: s.level_required,
      datasets: s.datasets.map((d) => ({ ...d, provider: organizationView(this.#org(d.provider)) })),
    };
  }

  metadata(): PlatformMetadata {
    const { origin } = this.options;
    return {
      name: { zh: 'MyData 沙盒平臺', en: 'MyData Sandbox Platform' },
      api_base: origin,
      openapi: `${origin}/openapi.json`,
      jwks_uri: `${origin}/jwks`,
      trust_anchors: [this.options.keys.caPem],
      dataset_scope_prefix: DATASET_SCOPE_PREFIX,
      assurance_levels: AUTH_METHODS.map((m) => ({ method: m.id, level: m.level, name_zh: m.name_zh, name_en: m.name_en, subject_type: m.subject_type })),
      identity_providers: this.options.idps.map(({ profile, issuer }) => ({
        issuer,
        name_zh: profile.name_zh,
        name_en: profile.name_en,
        client_id: NATIVE_CLIENT_ID,
        methods: profile.methods,
        subject_types: [...new Set(profile.methods.flatMap((m) => AUTH_METHODS.find((x) => x.id === m)?.subject_type ?? []))],
      })),
      package_lifetime_seconds: PACKAGE_LIFETIME_MS / 1000,
    };
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
    if (service.status === 'suspended' || service.status === 'terminated' || org.status === 'terminated') {
      throw new HttpError(409, 'SERVICE_NOT_AVAILABLE', `「${service.name_zh}」目前${service.status === 'suspended' ? '暫停' : '已終止'}介接，無法同意。`,
        `"${service.name_en}" is ${service.status === 'suspended' ? 'suspended' : 'terminated'}; consent is not possible.`, { service: service.id, status: service.status });
    }
    if (body.subject_type !== service.subject_type || access.subjectType !== service.subject_type) {
      throw new HttpError(403, 'WRONG_SUBJECT_TYPE',
        service.subject_type === 'legal' ? '此服務限企業代表人以工商憑證驗證後使用。' : '此服務限個人使用，企業代表人身分不適用。',
        service.subject_type === 'legal' ? 'This service is for company representatives verified with the business certificate.' : 'This service is for individuals; a company representative session does not qualify.',
        { subject_type_required: service.subject_type });
    }
    if (body.terms_sha256 !== service.terms.sha256) {
      throw new HttpError(409, 'TERMS_CHANGED', '服務條款已更新，請重新閱讀後再同意。', 'The terms have changed. Read them again before you consent.', { terms_sha256: service.terms.sha256, terms_version: service.terms.version });
    }
    const expectedDelivery = service.kind === 'self-download' ? 'self' : 'service-provider';
    if (body.delivery !== expectedDelivery) {
      throw new HttpError(400, 'WRONG_DELIVERY', '交付方式與服務類型不符。', `This service delivers to ${expectedDelivery === 'self' ? 'the subject' : 'its service provider'}.`, { delivery_required: expectedDelivery });
    }
    let request: StoredRequest | undefined;
    if (expectedDelivery === 'service-provider') {
      request = this.#liveRequest(body.request_uri ?? '');
      if (request.service.id !== service.id) throw new HttpError(400, 'REQUEST_SERVICE_MISMATCH', '此請求不屬於這項服務。', 'The request belongs to another service.');
    }
    const datasets = service.datasets.map((sd) => {
      const chosen = body.datasets.find((d) => d.id === sd.id);
      if (!chosen) throw new HttpError(400, 'DATASET_MISSING', `同意內容缺少「${sd.name_zh}」。`, `The consent does not cover "${sd.name_en}".`, { dataset: sd.id });
      for (const f of chosen.fields) {
        if (!sd.fields.some((x) => x.name === f)) throw new HttpError(400, 'UNKNOWN_FIELD', `「${sd.name_zh}」沒有欄位 ${f}。`, `"${sd.name_en}" has no field ${f}.`, { dataset: sd.id, field: f });
      }
      for (const f of sd.fields) {
        if (f.required && !chosen.fields.includes(f.name)) {
          throw new HttpError(400, 'REQUIRED_FIELD_MISSING', `「${sd.name_zh}」的必要欄位「${f.label_zh}」未同意。`, `The required field "${f.label_en}" of "${sd.name_en}" was not consented.`, { dataset: sd.id, field: f.name });
        }
      }
      return { id: sd.id, fields: sd.fields.filter((f) => chosen.fields.includes(f.name)).map((f) => f.name) };
    });
    for (const d of body.datasets) {
      if (!service.datasets.some((sd) => sd.id === d.id)) throw new HttpError(400, 'UNKNOWN_DATASET', `此服務不含資料集 ${d.id}。`, `The service has no dataset ${d.id}.`, { dataset: d.id });
    }
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
    const created: TransactionCreated = { tx_id: tx.id, status: tx.refused ? 205 : this.#status(tx).code as TransactionCreated['status'] };
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

  /** The real platform's codes: 205 refused, 429 preparing, 201 delivered, 410 expired, 504 all failed, 403 some failed, 200 ready. */
  #status(tx: Transaction): { code: TransactionStatus['status'] | 205; retryAfter?: number } {
    const now = this.options.clock();
    if (tx.refused) return { code: 205 };
    if (now < tx.readyAt) return { code: 429, retryAfter: Math.max(1, Math.ceil((tx.readyAt - now) / 1000)) };
    if (tx.deliveredAt !== undefined) return { code: 201 };
    if (now >= tx.readyAt + PACKAGE_LIFETIME_MS) return { code: 410 };
    const codes = tx.codes ?? [];
    const failed = codes.filter((c) => c.code !== DatasetCode.OK).length;
    if (failed > 0 && failed === codes.length) return { code: 504 };
    if (failed > 0) return { code: 403 };
    return { code: 200 };
  }

  /** The body of a status answer; its code is the one the answer's HTTP status carries (one reading of the clock). */
  #statusBody(tx: Transaction, code: TransactionStatus['status'], built?: BuiltPackage): TransactionStatus {
    return {
      tx_id: tx.id,
      status: code,
      service_id: tx.service.id,
      delivery: tx.delivery,
      created_at: new Date(tx.createdAt).toISOString(),
      ready_at: new Date(tx.readyAt).toISOString(),
      expires_at: new Date(tx.readyAt + PACKAGE_LIFETIME_MS).toISOString(),
      delivered_at: tx.deliveredAt === undefined ? null : new Date(tx.deliveredAt).toISOString(),
      datasets: (tx.codes ?? tx.datasets.map((d) => ({ dataset: d.id, provider: this.options.world.datasets.find((x) => x.id === d.id)?.provider ?? '', code: null })))
        .map((c) => ({ id: c.dataset, provider: c.provider, code: c.code })),
      package: built ? { size: built.bytes.length, sha256: built.sha256 } : null,
    };
  }

  async #readyStatus(tx: Transaction): Promise<{ code: TransactionStatus['status'] | 205; retryAfter?: number; built?: BuiltPackage }> {
    let status = this.#status(tx);
    if (status.code === 205 || status.code === 429) return status;
    const built = status.code === 410 && !tx.built ? undefined : await this.#package(tx);
    status = this.#status(tx);
    return { ...status, built };
  }

  #answerStatus(res: ServerResponse, tx: Transaction, status: { code: TransactionStatus['status'] | 205; retryAfter?: number; built?: BuiltPackage }): void {
    if (status.code === 205) {
      // 205 Reset Content carries no body (RFC 9110 §15.3.6): the status itself says the subject refused.
      res.writeHead(205, { 'cache-control': 'no-store', 'content-length': '0' });
      res.end();
      return;
    }
    sendJson(res, status.code, this.#statusBody(tx, status.code, status.built), status.retryAfter ? { 'retry-after': String(status.retryAfter) } : {});
  }

  async #transactionStatus(req: IncomingMessage, res: ServerResponse, url: URL, txId: string): Promise<void> {
    const access = await this.options.access.verify(req, this.#htu(url));
    const tx = this.#transactionFor(access, txId);
    const status = await this.#readyStatus(tx);
    if (tx.delivery === 'service-provider' && status.built && !tx.spNotified) void this.#notifyServiceProvider(tx);
    this.#answerStatus(res, tx, status);
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
      this.#answerStatus(res, tx, status);
      return;
    }
    const size = built.bytes.length;
    let start = 0;
    let end = size - 1;
    const range = req.headers.range;
    if (range !== undefined) {
      const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
      const s = m ? Number(m[1]) : NaN;
      const e = m?.[2] ? Number(m[2]) : size - 1;
      if (!m || s > e || s >= size) {
        res.writeHead(416, { 'content-range': `bytes */${size}` });
        res.end();
        return;
      }
      start = s;
      end = Math.min(e, size - 1);
    }
    const digest = Buffer.from(built.sha256, 'hex').toString('base64');
    const slice = built.bytes.subarray(start, end + 1);
    // A partly failed package is still delivered, under the real platform's 403; the failed datasets' codes are in its outer manifest.
    res.writeHead(range !== undefined ? 206 : status.code, {
      'content-type': 'application/zip',
      'content-length': String(slice.length),
      'content-disposition': `attachment; filename="${tx.id}.zip"`,
      'accept-ranges': 'bytes',
      etag: `"${built.sha256}"`,
      'repr-digest': `sha-256=:${digest}:`,
      digest: `SHA-256=${digest}`,
      'cache-control': 'no-store',
      ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
    });
    const drop = this.dropNextDownloadAfter;
    if (drop !== null && drop < slice.length) {
      this.dropNextDownloadAfter = null;
      this.packageBytesServed += drop;
      res.write(slice.subarray(0, drop), () => res.destroy());
      return;
    }
    const stall = this.stallNextDownloadAfter;
    if (stall !== null && stall < slice.length) {
      this.stallNextDownloadAfter = null;
      this.packageBytesServed += stall;
      res.write(slice.subarray(0, stall));
      return;
    }
    this.packageBytesServed += slice.length;
    // G1: the ticket is spent only when the last byte has been handed over, so an interrupted download can resume.
    if (end === size - 1) res.once('finish', () => this.#delivered(tx));
    res.end(slice);
  }

  // ---- service providers (G5) ----

  async #registerRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const jwt = RequestRegistrationSchema.safeParse(await readJson(req)).data?.request;
    if (!jwt) throw new HttpError(400, 'REQUEST_INVALID', '缺少已簽章的請求物件。', 'The signed request object is missing.');
    let claimsIss: string | undefined;
    try {
      claimsIss = (JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string }).iss;
    } catch {
      throw new HttpError(400, 'REQUEST_INVALID', '請求物件格式錯誤。', 'The request object is malformed.');
    }
    const sp = this.options.serviceProviders.find((p) => p.serviceId === claimsIss);
    if (!sp) throw new HttpError(401, 'REQUEST_UNKNOWN_CLIENT', '平臺不認得這個服務提供者。', 'The platform does not know this service provider.');
    const nowS = Math.floor(this.options.clock() / 1000);
    let payload: z.infer<typeof RequestObjectClaimsSchema>;
    try {
      const key = await importJWK(sp.publicKey, 'ES256');
      const verified = await jwtVerify(jwt, key, { typ: 'oauth-authz-req+jwt', algorithms: ['ES256'], issuer: sp.serviceId, currentDate: new Date(nowS * 1000), requiredClaims: ['exp', 'iat', 'jti'] });
      payload = RequestObjectClaimsSchema.parse(verified.payload);
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_JWT_EXPIRED') throw new HttpError(400, 'REQUEST_EXPIRED', '請求物件已過期。', 'The request object has expired.');
      if (error instanceof z.ZodError) throw new HttpError(400, 'REQUEST_INVALID', '請求物件缺少必要內容。', 'The request object lacks required claims.');
      throw new HttpError(400, 'REQUEST_SIGNATURE_INVALID', '請求物件的簽章無效。', 'The request object signature is not valid.');
    }
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.includes(this.options.origin)) throw new HttpError(400, 'REQUEST_AUDIENCE', '請求物件不是發給本平臺的。', 'The request object is meant for another platform.');
    if (payload.exp - payload.iat > REQUEST_LIFETIME_S) throw new HttpError(400, 'REQUEST_INVALID', `請求物件有效期不得超過 ${REQUEST_LIFETIME_S} 秒。`, `A request object may live at most ${REQUEST_LIFETIME_S} seconds.`);
    if (this.#requestJtis.has(payload.jti)) throw new HttpError(400, 'REQUEST_REPLAYED', '請求物件已使用過。', 'The request object was already used.');
    if (payload.service_id !== sp.serviceId) throw new HttpError(403, 'REQUEST_SERVICE_MISMATCH', '服務提供者只能為自己的服務提出請求。', 'A service provider may only ask for its own service.');
    for (const u of [payload.return_url, payload.callback_url]) {
      if (new URL(u).origin !== sp.origin) throw new HttpError(400, 'REQUEST_URL_NOT_REGISTERED', '返回或回呼網址不在服務提供者登記的網域。', 'The return or callback URL is not on the provider\'s registered domain.');
    }
    const service = this.#service(sp.serviceId);
    if (service.status === 'suspended' || service.status === 'terminated') {
      throw new HttpError(409, 'SERVICE_NOT_AVAILABLE', `「${service.name_zh}」目前無法使用。`, `"${service.name_en}" is not available.`, { service: service.id, status: service.status });
    }
    this.#requestJtis.add(payload.jti);
    const uri = `urn:mydata:request:${randomBytes(18).toString('base64url')}`;
    this.#requests.set(uri, { uri, service, provider: sp, returnUrl: payload.return_url, callbackUrl: payload.callback_url, state: payload.state ?? null, expiresAt: (nowS + REQUEST_LIFETIME_S) * 1000 });
    const registered: RequestRegistered = { request_uri: uri, expires_in: REQUEST_LIFETIME_S };
    sendJson(res, 201, registered);
  }

  #liveRequest(uri: string): StoredRequest {
    const request = this.#requests.get(uri);
    if (!request) throw notFound('UNKNOWN_REQUEST', '找不到這個服務提供者請求。', 'No such service-provider request.');
    if (request.usedBy) throw new HttpError(409, 'REQUEST_USED', '這個請求已經回覆過。', 'This request has already been answered.');
    if (this.options.clock() >= request.expiresAt) throw new HttpError(410, 'REQUEST_EXPIRED', '這個請求已過期，請回到服務提供者重新申請。', 'This request has expired. Start again at the service provider.');
    return request;
  }

  #requestView(res: ServerResponse, uri: string): void {
    const request = this.#liveRequest(uri);
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
