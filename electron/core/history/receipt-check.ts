// Receipts against the history (G12, G14): every consent receipt carries the chain head and length at the moment it
// was made; the log (or an export of it) must hold exactly that head at that length.
// A receipt whose head is not in the log means the log was rolled back or replaced since (or the receipt was not
// made on this history); one whose length the log no longer reaches means records were cut off.
import type { ReceiptCheck } from '../../contract/history-channels.ts';

/** What a receipt says about the history: `count` is the chain's length then (records before it, pruned ones too). */
export interface ReceiptHead {
  chain_head: string;
  count: number;
}

/** A history as the check needs it: its chain length now, and its head after the first n records when still known. */
export interface ChainView {
  length: number;
  headAt(n: number): string | null;
}

/**
 * - `in-log`: the log holds this head at this length.
 * - `not-in-log`: the log reaches this length with another head (flagged).
 * - `beyond-log`: the log is shorter than it was when the receipt was made (flagged).
 * - `pruned`: that part of the chain was dropped by retention; nothing left to compare (not a fault).
 */
export type ReceiptHeadStatus = 'in-log' | 'not-in-log' | 'beyond-log' | 'pruned';

export function checkReceiptHead(chain: ChainView, receipt: ReceiptHead): ReceiptHeadStatus {
  if (receipt.count > chain.length) return 'beyond-log';
  const at = chain.headAt(receipt.count);
  if (at === null) return 'pruned';
  return at === receipt.chain_head ? 'in-log' : 'not-in-log';
}

export function isFlagged(status: ReceiptHeadStatus): boolean {
  return status === 'not-in-log' || status === 'beyond-log';
}

/** A receipt's JSON (the app's receipt, or anything with the same `history` member): its chain head and length. */
export function receiptHead(text: string): ReceiptHead | null {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch {
    return null;
  }
  const h = (json as { history?: { chain_head?: unknown; count?: unknown } } | null)?.history;
  if (typeof h?.chain_head !== 'string' || !/^[0-9a-f]{64}$/.test(h.chain_head)) return null;
  if (typeof h.count !== 'number' || !Number.isInteger(h.count) || h.count < 0) return null;
  return { chain_head: h.chain_head, count: h.count };
}

/** The receipts as the check reads them: their ids, and each receipt's time, service and history member. */
export interface ReceiptSource {
  ids(): Promise<readonly string[]>;
  get(id: string): Promise<{ timestamp: string; service: { name: ReceiptCheck['flagged'][number]['service'] }; history: ReceiptHead }>;
}

/** Checks every stored receipt against the chain; flagged ones oldest first. A receipt that cannot be read is skipped. */
export async function checkReceipts(chain: ChainView, store: ReceiptSource): Promise<ReceiptCheck> {
  const result: ReceiptCheck = { checked: 0, pruned: 0, flagged: [] };
  for (const id of await store.ids()) {
    let receipt;
    try {
      receipt = await store.get(id);
    } catch {
      continue; // a damaged receipt is named when it is opened (Receipts screen), not here
    }
    result.checked++;
    const status = checkReceiptHead(chain, receipt.history);
    if (status === 'pruned') result.pruned++;
    if (status === 'not-in-log' || status === 'beyond-log') {
      result.flagged.push({ receipt_id: id, timestamp: receipt.timestamp, service: receipt.service.name, status, ...receipt.history });
    }
  }
  result.flagged.sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  return result;
}
