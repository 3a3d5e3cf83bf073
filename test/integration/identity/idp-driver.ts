// Plays the person in the system browser: follows the sandbox IdP's HTML forms with plain fetch and a cookie jar, up to the loopback redirect.
export interface PersonaChoice {
  /** A person's or a company's id in the sandbox world (personas.json). */
  subject: string;
  method: string;
  /** For card and certificate methods. */
  pin?: string;
  /** 'cancel' presses the IdP's cancel button on the first page; 'deny' refuses at the consent page. */
  outcome?: 'allow' | 'deny' | 'cancel';
}

interface Step {
  url: URL;
  status: number;
  location: URL | undefined;
  html: string;
}

export class IdpDriver {
  readonly #cookies = new Map<string, string>();
  /** Wall time spent in this driver: what the bench subtracts as "time in the browser". */
  elapsedMs = 0;

  async #request(url: URL, method: 'GET' | 'POST', form?: Record<string, string>): Promise<Step> {
    const headers: Record<string, string> = {};
    if (this.#cookies.size > 0) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (form) headers['content-type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(url, { method, headers, redirect: 'manual', body: form ? new URLSearchParams(form).toString() : undefined });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]!) < Date.now()) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const loc = res.headers.get('location');
    const html = await res.text();
    return { url, status: res.status, location: loc ? new URL(loc, url) : undefined, html };
  }

  /** Drives the IdP from the authorization URL to the redirect towards the app; returns that redirect (not yet delivered). */
  async authorize(authorizationUrl: string, choice: PersonaChoice): Promise<URL> {
    const started = performance.now();
    try {
      const idpOrigin = new URL(authorizationUrl).origin;
      let step = await this.#request(new URL(authorizationUrl), 'GET');
      for (let i = 0; i < 40; i++) {
        if (step.location) {
          if (step.location.origin !== idpOrigin) return step.location;
          step = await this.#request(step.location, 'GET');
          continue;
        }
        if (step.status !== 200) throw new Error(`IdP answered ${step.status} at ${step.url.pathname}: ${step.html.slice(0, 400)}`);
        const uid = /\/interaction\/([A-Za-z0-9_-]+)/.exec(step.url.pathname)?.[1];
        if (!uid) throw new Error(`not an interaction page: ${step.url.href}`);
        const post = (action: string, form: Record<string, string>) => this.#request(new URL(`/interaction/${uid}/${action}`, idpOrigin), 'POST', form);
        const h = step.html;
        if (choice.outcome === 'cancel' && h.includes('/abort"')) step = await post('abort', { abort: '1' });
        else if (h.includes('name="subject"')) step = await post('subject', { subject: choice.subject });
        else if (h.includes('name="method"') && h.includes('type="radio"')) {
          if (!h.includes(`value="${choice.method}"`)) throw new Error(`method ${choice.method} not offered: ${[...h.matchAll(/name="method" value="([^"]+)"/g)].map((m) => m[1]).join(',')}`);
          step = await post('method', { method: choice.method });
        } else if (h.includes('name="pin"')) step = await post('credential', { pin: choice.pin ?? '' });
        else if (h.includes('name="otp"')) {
          const otp = /The one-time code sent is: (\d{6})/.exec(h)?.[1];
          if (!otp) throw new Error('no OTP on the page');
          step = await post('credential', { otp });
        } else if (h.includes('name="confirm"')) step = await post('credential', { confirm: 'yes' });
        else if (h.includes('name="decision"')) step = await post('consent', { decision: choice.outcome === 'deny' ? 'deny' : 'allow' });
        else throw new Error(`unrecognised IdP page at ${step.url.pathname}: ${h.replace(/<[^>]+>/g, ' ').slice(0, 400)}`);
        if (step.status === 200 && !step.location && /class="error"/.test(step.html) && step.url.pathname.endsWith('/credential')) {
          throw new Error('credential refused');
        }
      }
      throw new Error('too many IdP steps');
    } finally {
      this.elapsedMs += performance.now() - started;
    }
  }
}

export interface Delivered {
  status: number;
  html: string;
}

/** What the browser does with the redirect to the loopback: loads it (like a browser) and keeps the page. */
export async function deliver(callback: URL): Promise<Delivered> {
  const res = await fetch(callback, { redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}
