// ConsentService: what the consent screen shows, the decision sent to the platform, the status followed, the history
// written and the receipt kept (G5, G7, G10, G11, G12, G14, G16); reads, records and tracking live in its siblings.
import { randomUUID } from 'node:crypto';
import {
  ConsentDecisionSchema, ConsentErrorCode as C,
  type ConsentContext, type ConsentDecision, type ConsentOutcome, type Receipt, type ReceiptSummary, type TransactionState,
} from '../../contract/consent.ts';
import { AppFailure } from '../../contract/errors.ts';
import type { IdentitySession } from '../../contract/identity.ts';
import type { CatalogueService, Notice } from '../../protocol/catalogue.ts';
import { jsonOrNull } from '../../protocol/client.ts';
import { PlatformErrorSchema } from '../../protocol/errors.ts';
import { retryAfterMs } from '../../protocol/headers.ts';
import type { RequestView } from '../../protocol/requests.ts';
import { TransactionCreatedSchema, TransactionStatusReadSchema, type ConsentBody } from '../../protocol/transactions.ts';
import { systemClock, type Clock } from '../ports.ts';
import { consentFailure } from './errors.ts';
import { fetchRequest, fetchService, requestOf } from './platform-reads.ts';
import type { ConsentServiceOptions } from './ports.ts';
import { buildReceipt } from './receipt.ts';
import { buildReceiptPdf } from './receipt-pdf.ts';
import { profileReceipts, type ReceiptStore } from './receipt-store.ts';
import { entryRef, historyEntry, sameSubject } from './records.ts';
import {
  assertGateAllows, assertTermsShown, consentFit, consentGate, datasetNeeds, fieldsWithoutPurpose, fitFailure, hostOf,
  isFinalForProvider, isReturnAllowed, platformDatasets, refusalFit, selectFields, stateOf,
} from './rules.ts';
import { datasetOutcomes, trackedOfReceipt, type Tracked } from './tracked.ts';

export class ConsentService {
  readonly #o: ConsentServiceOptions;
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #tracked = new Map<string, Tracked>();
  #receipts: ReceiptStore | null = null;

  constructor(options: ConsentServiceOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The platform's origin, as the directory names it; unauthenticated reads (a service, a request) go there. */
  async #base(): Promise<string> {
    return (await this.#o.directory.get()).platform.replace(/\/$/, '');
  }

  // ------------------------------------------------------------ what the screen shows

  async context(serviceId: string): Promise<ConsentContext> {
    const directory = await this.#o.directory.get();
    const service = directory.services.find((s) => s.id === serviceId);
    if (!service) throw consentFailure(C.UNKNOWN_SERVICE);
    return this.#context(service, directory.notices, null);
  }

  async requestContext(requestUri: string): Promise<ConsentContext> {
    const view = await fetchRequest(await this.#base(), this.#fetch, requestUri);
    const directory = await this.#o.directory.get();
    return this.#context(view.service, directory.notices, view);
  }

  #context(service: CatalogueService, notices: readonly Notice[], view: RequestView | null): ConsentContext {
    const needs = datasetNeeds(service);
    return {
      service,
      gate: consentGate(service, notices, this.#clock.now()),
      flags: fieldsWithoutPurpose(service),
      request: view ? requestOf(view) : null,
      fit: consentFit(this.#o.identity.fit(needs), this.#o.identity.session(), service),
    };
  }

  // ------------------------------------------------------------ the decision

  async submit(input: ConsentDecision): Promise<ConsentOutcome> {
    const decision = ConsentDecisionSchema.parse(input);
    const directory = await this.#o.directory.get();
    let request: RequestView | null = null;
    let service: CatalogueService;
    if (decision.requestUri !== undefined) {
      request = await fetchRequest(await this.#base(), this.#fetch, decision.requestUri);
      service = request.service;
      if (service.id !== decision.serviceId) throw consentFailure(C.REQUEST_MISMATCH);
    } else {
      service = await fetchService(await this.#base(), this.#fetch, decision.serviceId);
    }
    if (service.kind === 'service-provider' && request === null) throw consentFailure(C.REQUEST_MISSING);
    if (service.kind === 'self-download' && request !== null) throw consentFailure(C.REQUEST_MISMATCH);

    // Nothing leaves the app unless every rule holds: status (G7, G16), terms (G11), fields (G10), identity (G8).
    assertGateAllows(consentGate(service, directory.notices, this.#clock.now()));
    await assertTermsShown(service, decision.termsShownSha256);
    const selection = selectFields(service, decision.decision === 'consent' ? decision.declined : []);
    const needs = datasetNeeds(service);
    const baseFit = this.#o.identity.fit(needs);
    const fit = decision.decision === 'consent' ? consentFit(baseFit, this.#o.identity.session(), service) : refusalFit(baseFit);
    const notFit = fitFailure(fit);
    if (notFit) throw notFit;
    const session = this.#o.identity.session();
    if (!session) throw consentFailure(C.NOT_VERIFIED);

    const body: ConsentBody = {
      service_id: service.id,
      datasets: platformDatasets(selection, decision.decision),
      terms_sha256: service.terms.sha256,
      subject_type: service.subject_type,
      delivery: service.kind === 'self-download' ? 'self' : 'service-provider',
      ...(request ? { request_uri: request.request_uri } : {}),
      decision: decision.decision,
    };

    let response: Response;
    try {
      response = await this.#o.identity.platformClient().fetch('transactions', { method: 'POST', json: body });
    } catch (error) {
      const failure = error instanceof AppFailure ? error : consentFailure(C.PLATFORM_UNREACHABLE, { cause: error });
      await this.#recordFailure(service, session, failure.code);
      throw failure;
    }
    const answer = await jsonOrNull(response);
    if (response.status !== 201) {
      const platformError = PlatformErrorSchema.safeParse(answer);
      const code = platformError.success ? platformError.data.code : `HTTP_${response.status}`;
      await this.#recordFailure(service, session, code);
      if (code === 'TERMS_CHANGED') throw consentFailure(C.TERMS_CHANGED);
      if (code === 'REQUEST_USED' || code === 'REQUEST_EXPIRED' || code === 'UNKNOWN_REQUEST') throw consentFailure(C.REQUEST_UNAVAILABLE);
      throw consentFailure(C.PLATFORM_REFUSED, platformError.success ? { detail: { zh: platformError.data.message_zh, en: platformError.data.message_en } } : {});
    }
    const created = TransactionCreatedSchema.safeParse(answer);
    if (!created.success) {
      await this.#recordFailure(service, session, 'INVALID_ANSWER');
      throw consentFailure(C.PLATFORM_REFUSED, { detail: { zh: '平臺的回應格式不正確', en: 'the platform’s answer was malformed' } });
    }

    // The receipt carries the chain head as it stood when the decision was made, before this decision's own records.
    const { history } = await this.#o.stores.get();
    const receipt = buildReceipt({
      time: this.#clock.now(),
      decision: decision.decision,
      platform: { origin: directory.platform.replace(/\/$/, ''), name: directory.metadata.name },
      service,
      selection,
      session,
      txId: created.data.tx_id,
      request: request ? { uri: request.request_uri, origin: request.service_provider.origin } : null,
      history: { head: history.head(), count: history.length },
    });
    await (await this.#receiptStore()).save(receipt);

    const state: TransactionState = decision.decision === 'refuse' ? 'refused' : (stateOf(created.data.status) ?? 'preparing');
    const tracked: Tracked = {
      txId: created.data.tx_id,
      entry: entryRef(created.data.tx_id, receipt.receipt_id, service, session),
      request,
      receiptId: receipt.receipt_id,
      decision: decision.decision,
      deliveryRecorded: false,
      following: null,
      outcome: {
        txId: created.data.tx_id,
        delivery: service.kind === 'self-download' ? 'self' : 'service-provider',
        decision: decision.decision,
        state,
        status: decision.decision === 'refuse' ? 205 : created.data.status,
        datasets: service.datasets.map((d) => ({
          id: d.id,
          name: { zh: d.name_zh, en: d.name_en },
          provider: { id: d.provider.id, name: { zh: d.provider.name_zh, en: d.provider.name_en } },
          code: decision.decision === 'refuse' ? 205 : null,
          outcome: decision.decision === 'refuse' ? 'refused' : 'pending',
        })),
        receiptId: receipt.receipt_id,
        downloadChannel: service.kind === 'self-download' && decision.decision === 'consent' ? (this.#o.downloadChannel ?? null) : null,
        returnAllowed: request ? isReturnAllowed(request.return_url, request.service_provider.origin) : false,
        returnHost: request ? hostOf(request.return_url) : null,
      },
    };
    this.#tracked.set(tracked.txId, tracked);

    if (decision.decision === 'refuse') {
      // G14: the refusal reached the platform (205); one record per dataset.
      for (const d of service.datasets) {
        await history.append(historyEntry(this.#clock, tracked.entry, d.id, { kind: 'refusal', result: 'refused', code: '205' }));
      }
    }
    return tracked.outcome;
  }

  // ------------------------------------------------------------ following the platform's status

  /**
   * Reads the transaction's status until it is final for this delivery: for a service provider, delivered (201),
   * failed (504) or expired (410); for a self-download, ready (200, or 403 partly failed) for the download to begin.
   * 429 waits as long as Retry-After says; otherwise the wait grows from 250 ms to 2 s. Bounded by followTimeoutMs.
   */
  follow(txId: string): Promise<ConsentOutcome> {
    const tracked = this.#tracked.get(txId);
    if (!tracked) return Promise.reject(consentFailure(C.UNKNOWN_TRANSACTION));
    if (tracked.decision === 'refuse' || tracked.deliveryRecorded) return Promise.resolve(tracked.outcome);
    tracked.following ??= this.#follow(tracked).finally(() => {
      tracked.following = null;
    });
    return tracked.following;
  }

  async #follow(tracked: Tracked): Promise<ConsentOutcome> {
    const deadline = this.#clock.now().getTime() + (this.#o.followTimeoutMs ?? 60_000);
    let backoff = 250;
    for (;;) {
      let response: Response;
      try {
        response = await this.#o.identity.platformClient().fetch(`transactions/${encodeURIComponent(tracked.txId)}`);
      } catch (error) {
        if (error instanceof AppFailure) throw error;
        throw consentFailure(C.PLATFORM_UNREACHABLE, { cause: error });
      }
      const state = stateOf(response.status);
      const parsed = response.status === 205 ? null : TransactionStatusReadSchema.safeParse(await jsonOrNull(response));
      if (state === null) throw consentFailure(C.PLATFORM_REFUSED, { detail: { zh: `狀態碼 ${response.status}`, en: `status ${response.status}` } });
      tracked.outcome = { ...tracked.outcome, state, status: response.status, datasets: datasetOutcomes(tracked, state, response.status, parsed?.success ? parsed.data.datasets : null) };
      const deliveredAt = parsed?.success ? parsed.data.delivered_at : null;
      if (typeof deliveredAt === 'string') tracked.deliveredAt = deliveredAt;

      const final = tracked.outcome.delivery === 'service-provider' ? isFinalForProvider(state) : state !== 'preparing';
      if (final) {
        if (tracked.outcome.delivery === 'service-provider' && !tracked.deliveryRecorded) await this.#recordDelivery(tracked);
        return tracked.outcome;
      }
      const now = this.#clock.now();
      let wait = state === 'preparing' ? retryAfterMs(response.headers.get('retry-after'), now, 1000) : backoff;
      if (state !== 'preparing') backoff = Math.min(2000, backoff * 2);
      if (now.getTime() + wait > deadline) {
        wait = deadline - now.getTime();
        if (wait <= 0) throw consentFailure(C.STATUS_TIMEOUT);
      }
      await this.#sleep(wait);
    }
  }

  /**
   * After a restart: every consent to a service provider whose delivery outcome the history does not hold yet (the
   * app quit while the platform was still delivering) is followed again, for the person now verified, and its
   * records are written as soon as the platform gives its final word (G14). The records carry what the receipt
   * says (terms, datasets, verification at the time of consent). Transactions of another subject, or that the
   * platform does not show to this one, are left alone; each is tried again at the next verification.
   * Resolves with the outcomes that became final.
   */
  async resumeDeliveries(): Promise<ConsentOutcome[]> {
    const session = this.#o.identity.session();
    if (!session) return [];
    const { history } = await this.#o.stores.get();
    const recorded = new Set(history.records().filter((r) => r.kind !== 'self-download').map((r) => r.tx_id));
    const store = await this.#receiptStore();
    const finals: ConsentOutcome[] = [];
    for (const summary of await store.list()) {
      if (summary.decision !== 'consent' || recorded.has(summary.tx_id) || this.#tracked.has(summary.tx_id)) continue;
      const receipt = await store.get(summary.receipt_id).catch(() => null);
      if (receipt === null || receipt.recipient.kind !== 'service-provider' || !sameSubject(receipt, session)) continue;
      const tracked = trackedOfReceipt(receipt);
      this.#tracked.set(tracked.txId, tracked);
      try {
        finals.push(await this.follow(tracked.txId));
      } catch {
        // Not shown to this person, unreachable, or still going: forget it here, so the next verification tries again.
        this.#tracked.delete(tracked.txId);
      }
    }
    return finals;
  }

  /** Written once, after the platform's word (never 'success' before it): one record per dataset with its code. */
  async #recordDelivery(tracked: Tracked): Promise<void> {
    tracked.deliveryRecorded = true;
    const { history } = await this.#o.stores.get();
    const expired = tracked.outcome.state === 'expired';
    for (const d of tracked.outcome.datasets) {
      const delivered = d.outcome === 'delivered';
      await history.append(historyEntry(this.#clock, tracked.entry, d.id, {
        kind: expired ? 'failure' : 'delivery',
        result: delivered ? 'success' : 'failure',
        code: String(d.code ?? tracked.outcome.status),
      }, expired ? undefined : tracked.deliveredAt));
    }
  }

  /** The consent call failed after the person confirmed: the history says so, for every dataset (no tx_id exists: an app id stands in). */
  async #recordFailure(service: CatalogueService, session: IdentitySession, code: string): Promise<void> {
    const { history } = await this.#o.stores.get();
    const ref = entryRef(`app-${randomUUID()}`, null, service, session);
    for (const d of service.datasets) {
      await history.append(historyEntry(this.#clock, ref, d.id, { kind: 'failure', result: 'failure', code }));
    }
  }

  // ------------------------------------------------------------ the return address (G5)

  /** The return address of a service provider's transaction, only when it is on the provider's registered origin. */
  returnUrl(txId: string): string {
    const tracked = this.#tracked.get(txId);
    if (!tracked) throw consentFailure(C.UNKNOWN_TRANSACTION);
    const request = tracked.request;
    if (!request || !isReturnAllowed(request.return_url, request.service_provider.origin)) throw consentFailure(C.RETURN_NOT_ALLOWED);
    return request.return_url;
  }

  outcome(txId: string): ConsentOutcome {
    const tracked = this.#tracked.get(txId);
    if (!tracked) throw consentFailure(C.UNKNOWN_TRANSACTION);
    return tracked.outcome;
  }

  // ------------------------------------------------------------ receipts (G12)

  async #receiptStore(): Promise<ReceiptStore> {
    if (!this.#receipts) {
      const { vault } = await this.#o.stores.get();
      this.#receipts = profileReceipts(this.#o.profileDir, vault);
    }
    return this.#receipts;
  }

  async receipts(): Promise<ReceiptSummary[]> {
    return (await this.#receiptStore()).list();
  }

  async receipt(id: string): Promise<Receipt> {
    return (await this.#receiptStore()).get(id);
  }

  async receiptPdf(id: string): Promise<Uint8Array> {
    return buildReceiptPdf(await this.receipt(id), this.#o.fontPath === undefined ? {} : { fontPath: this.#o.fontPath });
  }

}

