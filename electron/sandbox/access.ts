// Access control of the sandbox platform: DPoP-bound JWT access tokens from accredited IdPs only (RFC 9449), and assurance levels per dataset (G3, G8).
import type { IncomingMessage } from 'node:http';
import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { HttpError } from './http.ts';
import { methodById } from './methods.ts';
import type { SubjectType } from './data.ts';
import { DATASET_SCOPE_PREFIX } from './idp.ts';

export interface AccessContext {
  issuer: string;
  /** The IdP's subject: a person's or a company's id in the sandbox world. */
  subject: string;
  subjectType: SubjectType;
  methodId: string;
  level: number;
  datasets: Set<string>;
  jkt: string;
}

export interface AccessOptions {
  audience: string;
  /** Accredited issuers and their public signing keys. */
  issuers: Map<string, JWK[]>;
  /** Seconds since epoch, for DPoP proof freshness and token expiry. */
  nowSeconds: () => number;
}

const PROOF_MAX_AGE_S = 300;
const PROOF_ALGS = ['ES256', 'ES384', 'PS256', 'RS256', 'EdDSA', 'Ed25519'];

function unauthorized(code: string, zh: string, en: string, error = 'invalid_token'): HttpError {
  return new HttpError(401, code, zh, en, {}, { 'www-authenticate': `DPoP error="${error}", algs="${PROOF_ALGS.join(' ')}"` });
}
function badProof(code: string, zh: string, en: string): HttpError {
  return unauthorized(code, zh, en, 'invalid_dpop_proof');
}

export class AccessVerifier {
  readonly #options: AccessOptions;
  readonly #jwks = new Map<string, ReturnType<typeof createLocalJWKSet>>();
  /** jti → expiry (s); a proof is accepted once. */
  readonly #seen = new Map<string, number>();

  constructor(options: AccessOptions) {
    this.#options = options;
    for (const [issuer, keys] of options.issuers) this.#jwks.set(issuer, createLocalJWKSet({ keys }));
  }

  /** `htu` is the public URL of the request without query or fragment, as RFC 9449 §4.3 compares it. */
  async verify(req: IncomingMessage, htu: string): Promise<AccessContext> {
    const auth = req.headers.authorization;
    if (!auth) throw unauthorized('TOKEN_MISSING', '需要身分驗證：請先以認可的身分驗證機構驗證身分。', 'Authentication needed: verify your identity with an accredited provider first.');
    const [scheme, token] = auth.split(' ');
    if (scheme?.toLowerCase() !== 'dpop' || !token) {
      throw unauthorized('TOKEN_NOT_DPOP', '存取權杖必須以 DPoP 方式出示。', 'The access token must be presented with the DPoP scheme.');
    }
    const proof = req.headers.dpop;
    if (typeof proof !== 'string' || proof.length === 0) throw badProof('DPOP_PROOF_MISSING', '缺少 DPoP 證明。', 'The DPoP proof is missing.');

    const claims = await this.#verifyToken(token);
    const jkt = (claims.cnf as { jkt?: unknown } | undefined)?.jkt;
    if (typeof jkt !== 'string') throw unauthorized('TOKEN_NOT_DPOP_BOUND', '存取權杖未綁定 DPoP 金鑰。', 'The access token is not bound to a DPoP key.');
    await this.#verifyProof(proof, req.method ?? 'GET', htu, token, jkt);

    const methodId = typeof claims.acr === 'string' ? claims.acr : '';
    const method = methodById(methodId);
    if (!method) throw unauthorized('TOKEN_UNKNOWN_METHOD', '存取權杖未載明可辨識的驗證方式。', 'The access token names no known verification method.');
    const subjectType = claims.subject_type;
    if (subjectType !== 'natural' && subjectType !== 'legal') throw unauthorized('TOKEN_INVALID', '存取權杖缺少當事人類型。', 'The access token has no subject type.');
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : [];
    if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string') throw unauthorized('TOKEN_INVALID', '存取權杖缺少簽發者或當事人。', 'The access token has no issuer or subject.');
    return {
      issuer: claims.iss,
      subject: claims.sub,
      subjectType,
      methodId,
      level: method.level,
      datasets: new Set(scopes.filter((s) => s.startsWith(DATASET_SCOPE_PREFIX)).map((s) => s.slice(DATASET_SCOPE_PREFIX.length))),
      jkt,
    };
  }

  async #verifyToken(token: string): Promise<JWTPayload> {
    let iss: string | undefined;
    try {
      const [, payload] = token.split('.');
      iss = (JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as JWTPayload).iss;
    } catch {
      throw unauthorized('TOKEN_INVALID', '存取權杖格式錯誤。', 'The access token is malformed.');
    }
    const keys = iss ? this.#jwks.get(iss) : undefined;
    if (!keys || !iss) throw unauthorized('TOKEN_ISSUER_NOT_ACCREDITED', '存取權杖不是由平臺認可的身分驗證機構簽發。', 'The access token was not issued by an identity provider the platform accredits.');
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: iss,
        typ: 'at+jwt',
        algorithms: ['ES256'],
        currentDate: new Date(this.#options.nowSeconds() * 1000),
      });
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(this.#options.audience)) {
        throw unauthorized('TOKEN_AUDIENCE', '存取權杖不是發給本平臺的。', 'The access token is meant for another audience.');
      }
      return payload;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') throw unauthorized('TOKEN_EXPIRED', '存取權杖已過期，請重新驗證身分。', 'The access token has expired. Verify your identity again.');
      throw unauthorized('TOKEN_INVALID', '存取權杖無效。', 'The access token is not valid.');
    }
  }

  async #verifyProof(proof: string, method: string, htu: string, token: string, jkt: string): Promise<void> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(proof);
    } catch {
      throw badProof('DPOP_PROOF_INVALID', 'DPoP 證明格式錯誤。', 'The DPoP proof is malformed.');
    }
    const jwk = header.jwk;
    if (header.typ !== 'dpop+jwt' || !jwk || !header.alg || !PROOF_ALGS.includes(header.alg) || 'd' in jwk) {
      throw badProof('DPOP_PROOF_INVALID', 'DPoP 證明的標頭不正確。', 'The DPoP proof header is not valid.');
    }
    let payload: JWTPayload;
    try {
      const key = await importJWK(jwk, header.alg);
      ({ payload } = await jwtVerify(proof, key, { typ: 'dpop+jwt', algorithms: PROOF_ALGS, currentDate: new Date(this.#options.nowSeconds() * 1000) }));
    } catch {
      throw badProof('DPOP_PROOF_INVALID', 'DPoP 證明的簽章無效。', 'The DPoP proof signature is not valid.');
    }
    if (payload.htm !== method) throw badProof('DPOP_PROOF_METHOD', 'DPoP 證明的 HTTP 方法不符。', 'The DPoP proof was made for another HTTP method.');
    if (typeof payload.htu !== 'string' || stripQuery(payload.htu) !== htu) throw badProof('DPOP_PROOF_URL', 'DPoP 證明的網址不符。', 'The DPoP proof was made for another URL.');
    const now = this.#options.nowSeconds();
    if (typeof payload.iat !== 'number' || Math.abs(now - payload.iat) > PROOF_MAX_AGE_S) {
      throw badProof('DPOP_PROOF_STALE', 'DPoP 證明的時間超出允許範圍，請檢查電腦時間。', 'The DPoP proof is too old or from the future. Check the computer clock.');
    }
    if (payload.ath !== createHash('sha256').update(token).digest('base64url')) {
      throw badProof('DPOP_PROOF_ATH', 'DPoP 證明未綁定此存取權杖。', 'The DPoP proof is not bound to this access token.');
    }
    if ((await calculateJwkThumbprint(jwk, 'sha256')) !== jkt) {
      throw badProof('DPOP_KEY_MISMATCH', 'DPoP 證明的金鑰與存取權杖綁定的金鑰不同。', 'The DPoP proof key is not the key the access token is bound to.');
    }
    if (typeof payload.jti !== 'string' || payload.jti.length < 8) throw badProof('DPOP_PROOF_INVALID', 'DPoP 證明缺少 jti。', 'The DPoP proof has no jti.');
    for (const [jti, expiry] of this.#seen) if (expiry < now) this.#seen.delete(jti);
    const replayKey = `${jkt}:${payload.jti}`;
    if (this.#seen.has(replayKey)) throw badProof('DPOP_PROOF_REPLAYED', 'DPoP 證明已使用過，每次請求需要新的證明。', 'The DPoP proof was already used; each request needs a fresh one.');
    this.#seen.set(replayKey, payload.iat + PROOF_MAX_AGE_S);
  }
}

function stripQuery(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '';
  }
}

/** G8 and scope: a dataset is released only under a token that names it and a method at least as strong as it needs. */
export function requireDataset(access: AccessContext, dataset: { id: string; name_zh: string; name_en: string; level_required: number; subject_type: SubjectType }): void {
  if (access.subjectType !== dataset.subject_type) {
    throw new HttpError(403, 'WRONG_SUBJECT_TYPE',
      dataset.subject_type === 'legal' ? `「${dataset.name_zh}」限企業代表人以工商憑證驗證後取得。` : `「${dataset.name_zh}」限個人取得，企業代表人身分不適用。`,
      dataset.subject_type === 'legal' ? `"${dataset.name_en}" is for company representatives verified with the business certificate.` : `"${dataset.name_en}" is for individuals; a company representative session does not qualify.`,
      { dataset: dataset.id, subject_type_required: dataset.subject_type });
  }
  if (!access.datasets.has(dataset.id)) {
    throw new HttpError(403, 'INSUFFICIENT_SCOPE', `存取權杖未包含「${dataset.name_zh}」的授權範圍。`, `The access token does not cover "${dataset.name_en}".`,
      { dataset: dataset.id, scope_required: `${DATASET_SCOPE_PREFIX}${dataset.id}` }, { 'www-authenticate': `DPoP error="insufficient_scope", scope="${DATASET_SCOPE_PREFIX}${dataset.id}"` });
  }
  if (access.level > dataset.level_required) {
    throw new HttpError(403, 'INSUFFICIENT_LEVEL',
      `「${dataset.name_zh}」需要等級 ${dataset.level_required} 以上的身分驗證，目前為等級 ${access.level}，請改用更強的驗證方式。`,
      `"${dataset.name_en}" needs verification at level ${dataset.level_required} or stronger; this one is level ${access.level}. Verify again with a stronger method.`,
      { dataset: dataset.id, level_required: dataset.level_required, level_presented: access.level, method_presented: access.methodId });
  }
}
