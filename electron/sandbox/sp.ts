// A service provider simulator (G5): signs and registers requests, builds the deep link, receives the callback and fetches the data once.
import { randomBytes } from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';
import type { Organization, Service } from './data.ts';
import { sha256Hex } from '../common/hash.ts';
import { esc, page, readJson, sendHtml, sendJson, HttpError, type Handler } from './http.ts';

export interface ReceivedDelivery {
  tx_id: string;
  permission_ticket: string;
  received_at: string;
  /** HTTP status of the one fetch the provider made. */
  status: number;
  size: number;
  sha256: string | null;
  /** The package as received (kept in memory, so tests and the demo can inspect it). */
  bytes: Uint8Array | null;
}

export interface ServiceProviderSim {
  service: Service;
  organization: Organization;
  origin: string;
  handler: Handler;
  received: ReceivedDelivery[];
  /** Signs a request object and registers it at the platform; answers the request_uri and the deep link to hand the subject. */
  createRequest(options?: { state?: string; lifetimeSeconds?: number; signWith?: JWK; audience?: string }): Promise<{ request_uri: string; deep_link: string }>;
  /** Resolves when a delivery for this transaction has been fetched. */
  waitForDelivery(txId: string, timeoutMs?: number): Promise<ReceivedDelivery>;
}

export function buildDeepLink(platformOrigin: string, requestUri: string): string {
  return `mydata-desktop://request?platform=${encodeURIComponent(platformOrigin)}&request_uri=${encodeURIComponent(requestUri)}`;
}

export function createServiceProvider(options: { service: Service; organization: Organization; origin: string; platformOrigin: string; signingJwk: JWK }): ServiceProviderSim {
  const { service, organization, origin, platformOrigin, signingJwk } = options;
  const received: ReceivedDelivery[] = [];
  const waiters = new Map<string, ((d: ReceivedDelivery) => void)[]>();

  async function signRequest(opts: { state?: string; lifetimeSeconds?: number; signWith?: JWK; audience?: string }): Promise<string> {
    const jwk = opts.signWith ?? signingJwk;
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ service_id: service.id, return_url: `${origin}/return`, callback_url: `${origin}/callback`, ...(opts.state ? { state: opts.state } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: jwk.kid })
      .setIssuer(service.id)
      .setAudience(opts.audience ?? platformOrigin)
      .setIssuedAt(now)
      .setExpirationTime(now + (opts.lifetimeSeconds ?? 300))
      .setJti(randomBytes(12).toString('base64url'))
      .sign(await importJWK(jwk, 'ES256'));
  }

  async function createRequest(opts: { state?: string; lifetimeSeconds?: number; signWith?: JWK; audience?: string } = {}): Promise<{ request_uri: string; deep_link: string }> {
    const response = await fetch(`${platformOrigin}/sp/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ request: await signRequest(opts) }),
    });
    const body = (await response.json()) as { request_uri?: string; code?: string; message_en?: string };
    if (response.status !== 201 || !body.request_uri) throw new Error(`request registration refused: ${response.status} ${body.code ?? ''} ${body.message_en ?? ''}`);
    return { request_uri: body.request_uri, deep_link: buildDeepLink(platformOrigin, body.request_uri) };
  }

  async function fetchOnce(txId: string, ticket: string): Promise<void> {
    const response = await fetch(`${platformOrigin}/sp/transactions/${encodeURIComponent(txId)}/package`, { headers: { authorization: `Bearer ${ticket}` } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    const ok = response.status === 200 || response.status === 403;
    const delivery: ReceivedDelivery = {
      tx_id: txId,
      permission_ticket: ticket,
      received_at: new Date().toISOString(),
      status: response.status,
      size: ok ? bytes.length : 0,
      sha256: ok ? await sha256Hex(bytes) : null,
      bytes: ok ? bytes : null,
    };
    received.push(delivery);
    for (const resolve of waiters.get(txId) ?? []) resolve(delivery);
    waiters.delete(txId);
  }

  const title = `${service.name_zh} ${service.name_en}`;
  const handler: Handler = async (req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (req.method === 'GET' && url.pathname === '/') {
      sendHtml(res, 200, page(title, `<p class="note">沙盒服務提供者示範頁 <span class="en">Sandbox service provider demo</span></p>
<h1>${esc(service.name_zh)}<br><span class="en">${esc(service.name_en)}</span></h1>
<p>${esc(organization.name_zh)} <span class="en">${esc(organization.name_en)}</span> — ${esc(service.status)}</p>
<p>${esc(service.purpose_zh)}<br><span class="en">${esc(service.purpose_en)}</span></p>
<ul>${service.datasets.map((d) => `<li>${esc(d.name_zh)} <span class="en">${esc(d.name_en)}</span></li>`).join('')}</ul>
<form method="post" action="/start"><button type="submit" name="start" value="1">以 MyData 提供資料申請 <span class="en">Apply with MyData</span></button></form>`));
      return;
    }
    if (req.method === 'POST' && url.pathname === '/start') {
      try {
        const { deep_link, request_uri } = await createRequest({ state: randomBytes(8).toString('hex') });
        sendHtml(res, 200, page(title, `<h1>${esc(service.name_zh)}</h1>
<p>請在 MyData Desktop 中審閱並同意。<span class="en">Review and consent in MyData Desktop.</span></p>
<p><a id="deep-link" href="${esc(deep_link)}">在 MyData Desktop 開啟 <span class="en">Open in MyData Desktop</span></a></p>
<p><small>request_uri: <code>${esc(request_uri)}</code></small></p><p><a href="/received">查看已收到的資料 <span class="en">See what arrived</span></a></p>`));
      } catch (error) {
        sendHtml(res, 409, page(title, `<h1>${esc(service.name_zh)}</h1><p class="error">平臺拒絕了這個請求 <span class="en">The platform refused this request</span>: ${esc((error as Error).message)}</p>`));
      }
      return;
    }
    if (req.method === 'POST' && url.pathname === '/callback') {
      const body = (await readJson(req)) as { tx_id?: unknown; permission_ticket?: unknown };
      if (typeof body.tx_id !== 'string' || typeof body.permission_ticket !== 'string') {
        throw new HttpError(400, 'CALLBACK_INVALID', '回呼內容缺少交易序號或交付憑證。', 'The callback lacks tx_id or permission_ticket.');
      }
      res.writeHead(204).end();
      void fetchOnce(body.tx_id, body.permission_ticket).catch((error: unknown) => { console.error('[sandbox] service provider fetch failed', error); });
      return;
    }
    if (req.method === 'GET' && url.pathname === '/received') {
      sendJson(res, 200, received.map(({ permission_ticket: _t, bytes: _b, ...rest }) => rest));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/return') {
      sendHtml(res, 200, page(title, `<h1>歡迎回來 <span class="en">Welcome back</span></h1><p>${esc(organization.name_zh)} 已收到您的申請。<span class="en">${esc(organization.name_en)} has your application.</span></p>`));
      return;
    }
    throw new HttpError(404, 'NOT_FOUND', '找不到這個頁面。', 'No such page.');
  };

  function waitForDelivery(txId: string, timeoutMs = 10_000): Promise<ReceivedDelivery> {
    const done = received.find((d) => d.tx_id === txId);
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`no delivery for ${txId} within ${timeoutMs} ms`)); }, timeoutMs);
      const list = waiters.get(txId) ?? [];
      list.push((d) => {
        clearTimeout(timer);
        resolve(d);
      });
      waiters.set(txId, list);
    });
  }

  return { service, organization, origin, handler, received, createRequest, waitForDelivery };
}
