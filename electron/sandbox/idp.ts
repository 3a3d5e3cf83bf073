// An accredited identity provider of the sandbox (G3): an OpenID Provider (oidc-provider) with PAR, PKCE and DPoP, and bilingual login pages.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { SandboxWorld } from './data.ts';
import { AUTH_METHODS, methodById, type AuthMethod } from './methods.ts';
import { esc, page, readForm, sendHtml, type Handler } from './http.ts';
import { maskId } from '../common/ids.ts';
import { resolveAccount, type AccountView, type CardRegistry } from './idp-accounts.ts';
import { MemoryAdapter } from './oidc-memory-adapter.ts';

/** The one public native client the sandbox IdPs know: the desktop app (and the tests acting as it). */
export const NATIVE_CLIENT_ID = 'mydata-desktop';
export const DATASET_SCOPE_PREFIX = 'dataset:';

export interface IdpProfile {
  id: string;
  name_zh: string;
  name_en: string;
  methods: string[];
}

/** Two accredited IdPs, each offering its own subset of methods; only TWCA issues 工商憑證 sessions. */
export const IDP_PROFILES: readonly IdpProfile[] = [
  { id: 'twca', name_zh: 'TWCA 身分驗證（沙盒）', name_en: 'TWCA identity verification (sandbox)', methods: ['moica', 'hw-bank-cert', 'moeaca', 'sw-bank-cert', 'otp'] },
  { id: 'cht', name_zh: '中華電信 身分驗證（沙盒）', name_en: 'Chunghwa Telecom identity verification (sandbox)', methods: ['moica', 'chip-bank-card', 'tw-fido', 'nhi-card', 'dual-id', 'otp'] },
];

interface LoginState {
  accountId?: string;
  methodId?: string;
  otp?: string;
  error?: { zh: string; en: string };
}

export interface IdpOptions {
  profile: IdpProfile;
  issuer: string;
  platformAudience: string;
  world: SandboxWorld;
  signingJwk: JWK;
  cookieSecret: string;
  cards: CardRegistry;
}

export interface SandboxIdp {
  profile: IdpProfile;
  issuer: string;
  handler: Handler;
}

/**
 * oidc-provider (with Koa under it) is most of the sandbox's start-up cost and is needed only once someone verifies, so
 * it loads on the first request to any IdP, not at start.
 */
let oidcModule: Promise<typeof import('oidc-provider')> | undefined;
function loadOidcProvider(): Promise<typeof import('oidc-provider')> {
  oidcModule ??= import('oidc-provider').catch((error: unknown) => {
    oidcModule = undefined;
    throw error;
  });
  return oidcModule;
}

function bilingual(zh: string, en: string): string {
  return `${esc(zh)} <span class="en" lang="en">${esc(en)}</span>`;
}

/** The IdP's OpenID Provider (PAR, PKCE, DPoP, state in memory); createIdp builds it on the IdP's first request. */
function createProvider(oidc: typeof import('oidc-provider'), options: IdpOptions): Provider {
  const { profile, issuer, platformAudience, world } = options;
  const { default: OidcProvider, errors, interactionPolicy } = oidc;
  const datasetScopes = world.datasets.map((d) => `${DATASET_SCOPE_PREFIX}${d.id}`);

  // Each authorization is a fresh verification (G1: one consent per use), so an earlier browser session never skips the login pages.
  const policy = interactionPolicy.base();
  policy.get('login')?.checks.add(new interactionPolicy.Check('sandbox_fresh_login', 'every authorization needs a fresh verification',
    (ctx) => (ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT)));

  const configuration: Configuration = {
    adapter: MemoryAdapter,
    clients: [{
      client_id: NATIVE_CLIENT_ID,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      require_pushed_authorization_requests: true,
      dpop_bound_access_tokens: true,
    }],
    jwks: { keys: [options.signingJwk] },
    cookies: {
      keys: [options.cookieSecret],
      // All IdPs share the host 127.0.0.1 (cookies ignore ports), so their cookie names must differ.
      names: { session: `_${profile.id}_session`, interaction: `_${profile.id}_interaction`, resume: `_${profile.id}_resume` },
    },
    acrValues: profile.methods,
    // acr and amr carry the method used (ARCHITECTURE §7); the app checks them against each dataset's level.
    claims: { sid: null, openid: ['sub', 'acr', 'amr', 'auth_time', 'name', 'subject_type', 'national_id', 'company_id', 'company_name'] },
    conformIdTokenClaims: false,
    scopes: ['openid'],
    responseTypes: ['code'],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: true },
      dPoP: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => platformAudience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== platformAudience) throw new errors.InvalidTarget('this IdP issues tokens for the sandbox platform only');
          return { scope: datasetScopes.join(' '), audience: platformAudience, accessTokenFormat: 'jwt', accessTokenTTL: 600, jwt: { sign: { alg: 'ES256' } } };
        },
      },
      rpInitiatedLogout: { enabled: false },
    },
    extraTokenClaims: (ctx: KoaContextWithOIDC) => {
      const code = ctx.oidc.entities.AuthorizationCode;
      if (!code?.accountId) return undefined;
      const account = resolveAccount(world, code.accountId);
      return { acr: code.acr, amr: code.amr, subject_type: account?.subjectType };
    },
    findAccount: (_ctx, sub) => {
      const account = resolveAccount(world, sub);
      if (!account) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: account.person.name_zh,
          subject_type: account.subjectType,
          national_id: account.person.national_id,
          ...(account.company ? { company_id: account.company.ban, company_name: account.company.name_zh } : {}),
        }),
      };
    },
    interactions: { policy, url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 900, Session: 900, Grant: 900, PushedAuthorizationRequest: 120 },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page('錯誤 Error', `<h1>${bilingual('身分驗證無法完成', 'Verification could not be completed')}</h1>
<p class="error"><code>${esc(out.error)}</code> ${esc(out.error_description ?? '')}</p>
<p>${bilingual('請回到 MyData Desktop 重新開始。', 'Return to MyData Desktop and start again.')}</p>`);
    },
  };

  return new OidcProvider(issuer, configuration);
}

export function createIdp(options: IdpOptions): SandboxIdp {
  const { profile, issuer, world, cards } = options;
  const states = new Map<string, LoginState>();
  // Built once, on the first request (concurrent first requests share it); a failed build is tried again next time.
  let built: Promise<{ provider: Provider; oidcHandler: ReturnType<Provider['callback']> }> | undefined;
  const ready = (): Promise<{ provider: Provider; oidcHandler: ReturnType<Provider['callback']> }> => {
    built ??= loadOidcProvider().then((oidc) => {
      const provider = createProvider(oidc, options);
      return { provider, oidcHandler: provider.callback() };
    }).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return built;
  };

  function methodsFor(account: AccountView, acrValues: string | undefined): AuthMethod[] {
    const wanted = acrValues ? new Set(acrValues.split(' ')) : undefined;
    return AUTH_METHODS.filter((m) => profile.methods.includes(m.id) && m.subject_type === account.subjectType && (!wanted || wanted.has(m.id)));
  }

  function header(): string {
    return `<p><strong>${bilingual(profile.name_zh, profile.name_en)}</strong></p>
<p class="note">${bilingual('這是沙盒：所有人物與資料皆為虛構。', 'This is a sandbox: every person and record is fictional.')}</p>`;
  }

  function errorBlock(state: LoginState): string {
    return state.error ? `<p class="error" role="alert">${bilingual(state.error.zh, state.error.en)}</p>` : '';
  }

  function abortForm(uid: string): string {
    return `<form method="post" action="/interaction/${esc(uid)}/abort"><button type="submit" name="abort" value="1">${bilingual('取消', 'Cancel')}</button></form>`;
  }

  function renderLogin(res: ServerResponse, uid: string, params: Record<string, unknown>): void {
    const state = states.get(uid) ?? {};
    const account = state.accountId ? resolveAccount(world, state.accountId) : undefined;
    if (!account) {
      const people = world.people.map((p) => `<label><input type="radio" name="subject" value="${esc(p.id)}" required> ${esc(p.name_zh)} <span class="en">${esc(p.name_en)}</span> — ${esc(maskId(p.national_id))}${p.resident ? ' （外籍／統一證號 resident）' : ''}</label>`).join('');
      const companies = world.companies.map((c) => {
        const rep = world.people.find((p) => p.id === c.representative);
        return `<label><input type="radio" name="subject" value="${esc(c.id)}" required> ${esc(c.name_zh)} <span class="en">${esc(c.name_en)}</span> — ${esc(c.ban)}，${bilingual(`代表人 ${rep?.name_zh ?? ''}`, `represented by ${rep?.name_en ?? ''}`)}</label>`;
      }).join('');
      sendHtml(res, 200, page('選擇身分 Choose who you are', `${header()}<h1>${bilingual('選擇身分', 'Choose who you are')}</h1>${errorBlock(state)}
<form method="post" action="/interaction/${esc(uid)}/subject">
<fieldset><legend>${bilingual('個人', 'Individuals')}</legend>${people}</fieldset>
<fieldset><legend>${bilingual('企業代表人（僅限工商憑證）', 'Company representatives (business certificate only)')}</legend>${companies}</fieldset>
<button type="submit">${bilingual('下一步', 'Next')}</button></form>${abortForm(uid)}`));
      return;
    }
    const method = state.methodId ? methodById(state.methodId) : undefined;
    if (!method) {
      const offered = methodsFor(account, typeof params.acr_values === 'string' ? params.acr_values : undefined);
      const list = offered.map((m) => `<label><input type="radio" name="method" value="${esc(m.id)}" required> ${bilingual(m.name_zh, m.name_en)} — ${bilingual(`等級 ${m.level}`, `level ${m.level}`)}</label>`).join('');
      const none = `<p class="error">${bilingual('本驗證機構沒有符合要求的驗證方式，請改用其他驗證機構。', 'This provider offers no method that meets the request. Use another provider.')}</p>`;
      sendHtml(res, 200, page('選擇驗證方式 Choose a method', `${header()}<h1>${bilingual('選擇驗證方式', 'Choose a verification method')}</h1>
<p>${bilingual(account.company ? `${account.company.name_zh}（代表人 ${account.person.name_zh}）` : account.person.name_zh, account.company ? `${account.company.name_en} (${account.person.name_en})` : account.person.name_en)}</p>${errorBlock(state)}
${offered.length ? `<form method="post" action="/interaction/${esc(uid)}/method"><fieldset><legend>${bilingual('驗證方式', 'Method')}</legend>${list}</fieldset><button type="submit">${bilingual('下一步', 'Next')}</button></form>` : none}${abortForm(uid)}`));
      return;
    }
    let step: string;
    if (method.card && cards.isLocked(account.person.id, method.id)) {
      step = `<p class="error" role="alert">${bilingual(`${method.name_zh}已因 PIN 碼錯誤三次而鎖定，請至發卡單位解鎖，或選擇其他驗證方式。`, `The ${method.name_en} is locked after three wrong PINs. Have it unlocked by its issuer, or choose another method.`)}</p>
<form method="post" action="/interaction/${esc(uid)}/method"><button type="submit" name="method" value="">${bilingual('選擇其他驗證方式', 'Choose another method')}</button></form>`;
    } else if (method.credential === 'pin') {
      step = `<form method="post" action="/interaction/${esc(uid)}/credential"><label>${bilingual(`請插入${method.name_zh}並輸入 PIN 碼`, `Insert the ${method.name_en} and enter its PIN`)}
<input type="password" name="pin" inputmode="numeric" autocomplete="off" required></label><button type="submit">${bilingual('驗證', 'Verify')}</button></form>`;
    } else if (method.credential === 'otp') {
      state.otp ??= String(randomInt(0, 1_000_000)).padStart(6, '0');
      states.set(uid, state);
      step = `<p class="note">${bilingual(`（沙盒）一次性密碼已寄出：${state.otp}`, `(Sandbox) The one-time code sent is: ${state.otp}`)}</p>
<form method="post" action="/interaction/${esc(uid)}/credential"><label>${bilingual('一次性密碼', 'One-time code')} <input type="text" name="otp" inputmode="numeric" autocomplete="one-time-code" required></label>
<button type="submit">${bilingual('驗證', 'Verify')}</button></form>`;
    } else {
      step = `<form method="post" action="/interaction/${esc(uid)}/credential"><label><input type="checkbox" name="confirm" value="yes" required> ${bilingual(`我已完成${method.name_zh}驗證`, `I have completed the ${method.name_en} check`)}</label>
<button type="submit">${bilingual('驗證', 'Verify')}</button></form>`;
    }
    sendHtml(res, 200, page('驗證 Verify', `${header()}<h1>${bilingual(method.name_zh, method.name_en)}</h1>${errorBlock(state)}${step}${abortForm(uid)}`));
  }

  function renderConsent(res: ServerResponse, uid: string, details: Awaited<ReturnType<Provider['interactionDetails']>>): void {
    const missing = (details.prompt.details.missingResourceScopes ?? {}) as Record<string, string[]>;
    const scopes = Object.values(missing).flat();
    const items = scopes.map((s) => {
      const ds = world.datasets.find((d) => `${DATASET_SCOPE_PREFIX}${d.id}` === s);
      return `<li>${ds ? bilingual(ds.name_zh, ds.name_en) : esc(s)}</li>`;
    }).join('');
    sendHtml(res, 200, page('授權 Authorise', `${header()}<h1>${bilingual('同意將身分驗證結果提供給 MyData 平臺', 'Let the MyData platform use this verification')}</h1>
<p>${bilingual('MyData Desktop 將以此驗證向平臺取得下列資料：', 'MyData Desktop will use it to ask the platform for:')}</p><ul>${items || `<li>${bilingual('僅身分驗證', 'identity only')}</li>`}</ul>
<form method="post" action="/interaction/${esc(uid)}/consent"><button type="submit" name="decision" value="allow">${bilingual('同意', 'Allow')}</button>
<button type="submit" name="decision" value="deny">${bilingual('拒絕', 'Deny')}</button></form>`));
  }

  async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> {
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      sendHtml(res, 400, page('逾時 Expired', `<h1>${bilingual('這次驗證已逾時或已完成', 'This verification expired or is already finished')}</h1><p>${bilingual('請回到 MyData Desktop 重新開始。', 'Return to MyData Desktop and start again.')}</p>`));
      return;
    }
    if (details.uid !== uid) {
      sendHtml(res, 400, page('錯誤 Error', `<h1>${bilingual('驗證階段不符', 'Verification step mismatch')}</h1>`));
      return;
    }
    const back = (): void => {
      res.writeHead(303, { location: `/interaction/${uid}` });
      res.end();
    };
    if (req.method === 'GET' && !action) {
      if (details.prompt.name === 'login') renderLogin(res, uid, details.params);
      else renderConsent(res, uid, details);
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const form = await readForm(req);
    const state = states.get(uid) ?? {};
    states.set(uid, state);
    delete state.error;
    switch (action) {
      case 'abort':
        states.delete(uid);
        await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the subject cancelled the verification' }, { mergeWithLastSubmission: false });
        return;
      case 'subject': {
        const account = resolveAccount(world, form.get('subject') ?? '');
        if (account) state.accountId = account.accountId;
        else state.error = { zh: '請選擇一個身分。', en: 'Choose who you are.' };
        delete state.methodId;
        back();
        return;
      }
      case 'method': {
        const account = state.accountId ? resolveAccount(world, state.accountId) : undefined;
        const chosen = form.get('method') ?? '';
        if (account && methodsFor(account, typeof details.params.acr_values === 'string' ? details.params.acr_values : undefined).some((m) => m.id === chosen)) {
          state.methodId = chosen;
        } else {
          delete state.methodId;
          if (chosen) state.error = { zh: '此驗證方式不適用。', en: 'That method is not available here.' };
        }
        back();
        return;
      }
      case 'credential': {
        const account = state.accountId ? resolveAccount(world, state.accountId) : undefined;
        const method = state.methodId ? methodById(state.methodId) : undefined;
        if (!account || !method) {
          back();
          return;
        }
        let ok = false;
        if (method.credential === 'pin') {
          if (method.card && cards.isLocked(account.person.id, method.id)) { back(); return; }
          ok = form.get('pin') === account.person.pin;
          if (!ok) {
            const left = method.card ? cards.fail(account.person.id, method.id) : 1;
            state.error = method.card && left === 0
              ? { zh: 'PIN 碼錯誤，卡片已鎖定。', en: 'Wrong PIN. The card is now locked.' }
              : { zh: `PIN 碼錯誤${method.card ? `，尚可嘗試 ${left} 次` : ''}。`, en: `Wrong PIN.${method.card ? ` ${left} attempt${left === 1 ? '' : 's'} left.` : ''}` };
          } else if (method.card) {
            cards.succeed(account.person.id, method.id);
          }
        } else if (method.credential === 'otp') {
          ok = state.otp !== undefined && form.get('otp') === state.otp;
          if (!ok) state.error = { zh: '一次性密碼錯誤。', en: 'Wrong one-time code.' };
        } else {
          ok = form.get('confirm') === 'yes';
          if (!ok) state.error = { zh: '請先完成驗證。', en: 'Complete the check first.' };
        }
        if (!ok) { back(); return; }
        states.delete(uid);
        await provider.interactionFinished(req, res, {
          login: { accountId: account.accountId, acr: method.id, amr: [method.id], remember: false },
        }, { mergeWithLastSubmission: false });
        return;
      }
      case 'consent': {
        if (details.prompt.name !== 'consent' || !details.session?.accountId) { back(); return; }
        if (form.get('decision') !== 'allow') {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the subject denied the request' }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id as string });
        const promptDetails = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
        if (promptDetails.missingOIDCScope) grant.addOIDCScope(promptDetails.missingOIDCScope.join(' '));
        if (promptDetails.missingOIDCClaims) grant.addOIDCClaims(promptDetails.missingOIDCClaims);
        for (const [resource, scopes] of Object.entries(promptDetails.missingResourceScopes ?? {})) grant.addResourceScope(resource, scopes.join(' '));
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
        return;
      }
      default:
        res.writeHead(404).end();
    }
  }

  const handler: Handler = async (req, res) => {
    const { provider, oidcHandler } = await ready();
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/([a-z]+))?$/.exec(url.pathname);
    if (match) {
      await interaction(provider, req, res, match[1] ?? '', match[2]);
      return;
    }
    await oidcHandler(req, res);
  };

  return { profile, issuer, handler };
}
