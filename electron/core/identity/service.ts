// IdentityService: OpenID Connect through the system browser (RFC 8252) with PAR, PKCE S256, DPoP, state, nonce, iss, max_age, and the app's own acr check (G3, G8).
import { randomUUID, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import {
  BeginVerificationSchema, IdentityErrorCode as C, type BeginVerification, type DatasetNeed,
  type IdentityProvider, type IdentitySession, type MethodChoice, type SessionFit, type SubjectType,
} from '../../contract/identity.ts';
import { sha256Hex } from '../../common/hash.ts';
import { systemClock, type Clock } from '../ports.ts';
import { findAccredited, loadDirectory, type AccreditedDirectory } from './directory.ts';
import { identityFailure, isIdentityFailure } from './errors.ts';
import { isValidBusinessId, isValidPersonalId, maskId } from '../../common/ids.ts';
import { levelMeets, methodById, methodChoices, qualifyingMethods, sessionFit } from './levels.ts';
import { LoopbackReceiver, DEFAULT_LOOPBACK_TIMEOUT_MS } from './loopback.ts';
import { PlatformClient, type PlatformGrant } from './platform-client.ts';
import { discoverIdp } from './discovery.ts';
import { classifyTokenError, isNetworkError } from './oidc-errors.ts';
import type { IdentityServiceOptions, VerificationTransaction } from './options.ts';

/** The public native client id the accredited IdPs register for MyData Desktop. */
export const NATIVE_CLIENT_ID = 'mydata-desktop';
/** Every verification must be fresh (G1: one consent per use); a few minutes covers the person's time at the IdP. */
export const DEFAULT_MAX_AGE_S = 600;

interface Current {
  session: IdentitySession;
  client: PlatformClient;
}

function sameString(a: string | null, b: string): boolean {
  if (a === null) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}


export class IdentityService {
  readonly #options: IdentityServiceOptions;
  readonly #clock: Clock;
  readonly #configs = new Map<string, Promise<oidc.Configuration>>();
  readonly #transactions = new Map<string, { tx: VerificationTransaction; loopback: LoopbackReceiver }>();
  /** Hashes of every code this app run has presented: a second presentation is a replay, refused before the IdP sees it. */
  readonly #presentedCodes = new Set<string>();
  #directory: Promise<AccreditedDirectory> | undefined;
  #current: Current | undefined;
  #expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: IdentityServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** The accredited directory, fetched once and again after a failure. */
  async directory(): Promise<AccreditedDirectory> {
    this.#directory ??= loadDirectory(this.#options.platformUrl, this.#fetch());
    try {
      return await this.#directory;
    } catch (error) {
      this.#directory = undefined;
      throw error;
    }
  }

  /** The accredited providers serving this subject type, each method marked qualifying or not with the reason. */
  async providers(subjectType: SubjectType, requiredLevel: number): Promise<(IdentityProvider & { choices: MethodChoice[] })[]> {
    const { providers } = await this.directory();
    return providers
      .filter((p) => p.subject_types.includes(subjectType))
      .map((p) => ({ ...p, choices: methodChoices(p.methods, subjectType, requiredLevel) }));
  }

  /**
   * For main's shell.openExternal check: true only for an authorization URL on an accredited IdP's
   * authorization endpoint (origin and path), as discovered for a verification in progress or done.
   */
  async isAccreditedAuthorizationUrl(url: string): Promise<boolean> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return false;
    }
    for (const [, config] of this.#configs) {
      try {
        const endpoint = (await config).serverMetadata().authorization_endpoint;
        if (endpoint === undefined) continue;
        const allowed = new URL(endpoint);
        if (allowed.origin === target.origin && allowed.pathname === target.pathname) return true;
      } catch {
        // A discovery that failed allows nothing.
      }
    }
    return false;
  }

  session(): IdentitySession | null {
    const current = this.#current;
    if (!current) return null;
    if (Date.parse(current.session.expiresAt) <= this.#clock.now().getTime()) {
      this.#drop();
      return null;
    }
    return current.session;
  }

  /** Whether the session may be used for these datasets, or what must happen first (step-up, the other subject type). */
  fit(datasets: readonly DatasetNeed[]): SessionFit {
    return sessionFit(this.session(), datasets, this.#clock.now());
  }

  /** The only holder of the access token and DPoP key; throws IDENTITY_NO_SESSION or IDENTITY_SESSION_EXPIRED. */
  platformClient(): PlatformClient {
    const current = this.#current;
    if (!current) throw identityFailure(C.NO_SESSION);
    if (this.session() === null) throw identityFailure(C.SESSION_EXPIRED);
    return current.client;
  }

  signOut(): void {
    const had = this.#current !== undefined;
    this.#drop();
    if (had) this.#options.onSessionChange?.(null);
  }

  /** Stops everything: cancels verifications in progress and drops the session (app quit). */
  dispose(): void {
    for (const { tx } of [...this.#transactions.values()]) tx.cancel();
    this.signOut();
  }

  transaction(id: string): VerificationTransaction {
    const entry = this.#transactions.get(id);
    if (!entry) throw identityFailure(C.UNKNOWN_TRANSACTION);
    return entry.tx;
  }

  /**
   * Starts a verification: checks the issuer against the accredited list, limits `acr_values` to the methods that
   * qualify, pushes the request (PAR, DPoP-bound), opens the browser, and waits on the loopback. A verification in
   * progress is cancelled first: only one browser round trip runs at a time.
   */
  async begin(request: BeginVerification): Promise<VerificationTransaction> {
    const req = BeginVerificationSchema.parse(request);
    const directory = await this.directory();
    const provider = findAccredited(directory, req.issuer);
    if (!provider.subject_types.includes(req.subjectType)) throw identityFailure(C.NO_QUALIFYING_METHOD);
    const qualifying = qualifyingMethods(provider.methods, req.subjectType, req.requiredLevel);
    if (req.method !== undefined && !qualifying.includes(req.method)) throw identityFailure(C.METHOD_NOT_QUALIFYING);
    const acrValues = req.method !== undefined ? [req.method] : qualifying;
    if (acrValues.length === 0) throw identityFailure(C.NO_QUALIFYING_METHOD);

    const config = await this.#configuration(provider.issuer, directory.clientIds.get(provider.issuer));
    for (const { tx } of [...this.#transactions.values()]) tx.cancel();

    const state = oidc.randomState();
    const loopback = await LoopbackReceiver.open({ state, port: this.#options.loopbackPort ?? 0, timeoutMs: this.#options.loopbackTimeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS });
    const id = randomUUID();
    const verifier = oidc.randomPKCECodeVerifier();
    const nonce = oidc.randomNonce();
    const maxAge = this.#options.maxAgeSeconds ?? DEFAULT_MAX_AGE_S;
    // A fresh key per verification: a token is bound to one transaction's key and nothing else (DPoP, RFC 9449).
    const dpopKey = await oidc.randomDPoPKeyPair('ES256', { extractable: false });
    const dpop = oidc.getDPoPHandle(config, dpopKey);

    let authorizationUrl: URL;
    try {
      authorizationUrl = await oidc.buildAuthorizationUrlWithPAR(config, {
        redirect_uri: loopback.redirectUri,
        scope: ['openid', ...req.datasets.map((d) => `${directory.datasetScopePrefix}${d}`)].join(' '),
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
        max_age: String(maxAge),
        acr_values: acrValues.join(' '),
        resource: directory.audience,
      }, { DPoP: dpop });
    } catch (error) {
      loopback.fail(identityFailure(C.CANCELLED));
      if (isNetworkError(error)) throw identityFailure(C.IDP_UNREACHABLE, error);
      throw identityFailure(C.IDP_ERROR, error);
    }

    const openBrowser = async (): Promise<void> => {
      if (loopback.closed) throw identityFailure(C.UNKNOWN_TRANSACTION);
      await this.#options.openBrowser(authorizationUrl.href);
    };

    const sessionPromise = (async (): Promise<IdentitySession> => {
      const callback = await loopback.callback;
      return this.#complete({ callback, config, provider, req, acrValues, state, nonce, verifier, maxAge, dpop, directory });
    })();

    const tx: VerificationTransaction = {
      id,
      issuer: provider.issuer,
      deadline: loopback.deadline,
      reason: req.reason ?? null,
      session: sessionPromise,
      cancel: () => loopback.fail(identityFailure(C.CANCELLED)),
      reopenBrowser: openBrowser,
    };
    this.#transactions.set(id, { tx, loopback });

    sessionPromise.then(
      (session) => {
        loopback.finish({ ok: true });
        this.#options.onResult?.(id, { ok: true, session });
        this.#options.onSessionChange?.(session);
      },
      (error: unknown) => {
        const failure = isIdentityFailure(error) ? error : identityFailure(C.IDP_ERROR, error);
        loopback.finish({ ok: false, failure });
        this.#options.onResult?.(id, { ok: false, failure });
      },
    ).finally(() => this.#transactions.delete(id));

    try {
      await openBrowser();
    } catch (error) {
      tx.cancel();
      throw error;
    }
    return tx;
  }

  async #complete(t: {
    callback: URL; config: oidc.Configuration; provider: IdentityProvider; req: BeginVerification; acrValues: string[];
    state: string; nonce: string; verifier: string; maxAge: number; dpop: oidc.DPoPHandle; directory: AccreditedDirectory;
  }): Promise<IdentitySession> {
    const params = t.callback.searchParams;
    // RFC 9207 first: a response from another IdP (mix-up) is refused before anything in it is believed, its error included.
    if (params.get('iss') !== t.provider.issuer) throw identityFailure(C.ISSUER_MISMATCH);
    if (!sameString(params.get('state'), t.state)) throw identityFailure(C.STATE_MISMATCH);
    const error = params.get('error');
    if (error !== null) throw identityFailure(error === 'access_denied' ? C.CANCELLED_AT_IDP : C.IDP_ERROR);
    const code = params.get('code');
    if (code === null || code === '') throw identityFailure(C.CODE_MISSING);
    const codeHash = await sha256Hex(code);
    if (this.#presentedCodes.has(codeHash)) throw identityFailure(C.CODE_REPLAYED);
    this.#presentedCodes.add(codeHash);

    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(t.config, t.callback, {
        pkceCodeVerifier: t.verifier,
        expectedState: t.state,
        expectedNonce: t.nonce,
        maxAge: t.maxAge,
        idTokenExpected: true,
      }, undefined, { DPoP: t.dpop });
    } catch (error) {
      throw classifyTokenError(error);
    }
    if (tokens.token_type !== 'dpop') throw identityFailure(C.TOKEN_NOT_DPOP_BOUND);
    const claims = tokens.claims();
    if (!claims) throw identityFailure(C.ID_TOKEN_INVALID);

    // G8: openid-client checks the token; whether the method is strong enough is the app's own decision.
    const acr = typeof claims.acr === 'string' ? claims.acr : '';
    const method = methodById(acr);
    // `amr` is optional in OIDC; when the IdP sends it, it must name the same method as `acr`.
    const amrAgrees = claims.amr === undefined || (Array.isArray(claims.amr) && claims.amr.includes(acr));
    if (!method || !t.acrValues.includes(method.id) || !levelMeets(method.level, t.req.requiredLevel) || !amrAgrees) {
      throw identityFailure(C.ACR_INSUFFICIENT);
    }

    // G2: a company representative is one verified with 工商憑證 and carries a well-formed 統一編號; an individual carries none.
    const subjectType = claims.subject_type;
    const nationalId = typeof claims.national_id === 'string' ? claims.national_id : '';
    const name = typeof claims.name === 'string' ? claims.name.trim() : '';
    if (subjectType !== t.req.subjectType || method.subjectType !== subjectType || !isValidPersonalId(nationalId) || name === '') {
      throw identityFailure(C.SUBJECT_MISMATCH);
    }
    let company: IdentitySession['company'] = null;
    if (subjectType === 'legal') {
      const ban = typeof claims.company_id === 'string' ? claims.company_id : '';
      const companyName = typeof claims.company_name === 'string' ? claims.company_name.trim() : '';
      if (!isValidBusinessId(ban) || companyName === '') throw identityFailure(C.SUBJECT_MISMATCH);
      company = { ban, name: companyName };
    } else if (claims.company_id !== undefined) {
      throw identityFailure(C.SUBJECT_MISMATCH);
    }
    if (typeof claims.auth_time !== 'number') throw identityFailure(C.ID_TOKEN_INVALID);

    const now = this.#clock.now().getTime();
    const lifetimeS = typeof tokens.expires_in === 'number' && tokens.expires_in > 0 ? tokens.expires_in : 600;
    const expiresAt = new Date(now + lifetimeS * 1000);
    const prefix = t.directory.datasetScopePrefix;
    const granted = (tokens.scope ?? '').split(' ').filter((s) => s.startsWith(prefix)).map((s) => s.slice(prefix.length));
    const session: IdentitySession = {
      id: randomUUID(),
      subjectType,
      displayName: name,
      maskedId: maskId(nationalId),
      company,
      issuer: t.provider.issuer,
      provider: { zh: t.provider.name_zh, en: t.provider.name_en },
      method: method.id,
      level: method.level,
      authTime: new Date(claims.auth_time * 1000).toISOString(),
      expiresAt: expiresAt.toISOString(),
      datasets: tokens.scope === undefined ? [...t.req.datasets] : granted,
    };
    const grant: PlatformGrant = { config: t.config, accessToken: tokens.access_token, dpop: t.dpop, expiresAt, apiBase: t.directory.apiBase, clock: this.#clock };
    this.#drop();
    this.#current = { session, client: new PlatformClient(grant) };
    this.#scheduleExpiry(session);
    return session;
  }

  /** Tells the renderer when the session ends by itself, so no screen keeps showing a verification that is over. */
  #scheduleExpiry(session: IdentitySession): void {
    const delay = Date.parse(session.expiresAt) - this.#clock.now().getTime();
    // Timers beyond ~24.8 days overflow; sessions are minutes long, and a longer one is checked on next use anyway.
    if (delay > 2 ** 31 - 1) return;
    this.#expiryTimer = setTimeout(() => {
      if (this.#current?.session !== session) return;
      this.#drop();
      this.#options.onSessionChange?.(null);
    }, Math.max(0, delay));
    this.#expiryTimer.unref();
  }

  #drop(): void {
    if (this.#expiryTimer) clearTimeout(this.#expiryTimer);
    this.#expiryTimer = undefined;
    this.#current?.client.revoke();
    this.#current = undefined;
  }

  #fetch(): typeof fetch {
    const custom = this.#options.fetch;
    if (!custom) return fetch;
    return ((input: string | URL | Request, init?: RequestInit) => custom(input instanceof Request ? input.url : String(input), init ?? {}));
  }

  /** OIDC discovery for an accredited issuer, cached (discovery.ts); refuses an IdP that lacks PAR, S256, RFC 9207 or DPoP. */
  #configuration(issuer: string, clientId: string | undefined): Promise<oidc.Configuration> {
    let pending = this.#configs.get(issuer);
    if (!pending) {
      pending = discoverIdp(issuer, clientId ?? this.#options.clientId ?? NATIVE_CLIENT_ID, this.#options.fetch);
      this.#configs.set(issuer, pending);
      pending.catch(() => this.#configs.delete(issuer));
    }
    return pending;
  }
}
