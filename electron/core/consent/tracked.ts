// A transaction ConsentService follows: what it knows of it, and how the platform's status maps onto its datasets.
import type { ConsentOutcome, DatasetOutcome, Receipt, TransactionState } from '../../contract/consent.ts';
import type { RequestView } from '../../protocol/requests.ts';
import { entryRefOfReceipt, type EntryRef } from './records.ts';

export interface Tracked {
  txId: string;
  /** What its history records say about everyone involved (from the decision, or from its receipt after a restart). */
  entry: EntryRef;
  request: RequestView | null;
  receiptId: string;
  decision: 'consent' | 'refuse';
  outcome: ConsentOutcome;
  deliveryRecorded: boolean;
  following: Promise<ConsentOutcome> | null;
  /** The platform's delivered_at, once it said. */
  deliveredAt?: string;
}

/** A consent to a service provider found again after a restart: nothing known yet beyond its receipt. */
export function trackedOfReceipt(receipt: Receipt): Tracked {
  const entry = entryRefOfReceipt(receipt);
  return {
    txId: receipt.tx_id,
    entry,
    request: null,
    receiptId: receipt.receipt_id,
    decision: 'consent',
    deliveryRecorded: false,
    following: null,
    outcome: {
      txId: receipt.tx_id,
      delivery: 'service-provider',
      decision: 'consent',
      state: 'preparing',
      status: 429,
      datasets: entry.datasets.map((d) => ({ id: d.dataset.id, name: d.dataset.name, provider: d.provider, code: null, outcome: 'pending' })),
      receiptId: receipt.receipt_id,
      downloadChannel: null,
      returnAllowed: false,
      returnHost: null,
    },
  };
}

/** Each dataset's outcome once the platform gave the transaction's state and, when it did, each dataset's code. */
export function datasetOutcomes(tracked: Tracked, state: TransactionState, status: number, codes: readonly { id: string; code: number | null }[] | null): DatasetOutcome[] {
  return tracked.outcome.datasets.map((d) => {
    const code = codes?.find((c) => c.id === d.id)?.code ?? null;
    let outcome: DatasetOutcome['outcome'] = 'pending';
    if (state === 'refused') outcome = 'refused';
    else if (state === 'expired' || state === 'failed') outcome = 'failed';
    else if (code !== null && code !== 200) outcome = 'failed';
    else if (state === 'delivered' && tracked.outcome.delivery === 'service-provider') outcome = 'delivered';
    return { ...d, code: code ?? (state === 'failed' || state === 'expired' ? status : null), outcome };
  });
}
