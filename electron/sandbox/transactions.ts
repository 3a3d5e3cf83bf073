// The sandbox platform's transactions: what one holds, the status code it stands at, and how a status read is answered.
import type { ServerResponse } from 'node:http';
import type { TransactionStatus } from '../protocol/transactions.ts';
import { PACKAGE_LIFETIME_MS } from './catalogue-views.ts';
import { DatasetCode } from './codes.ts';
import type { SandboxWorld, Service } from './data.ts';
import { sendJson } from './http.ts';
import type { BuiltPackage } from './package.ts';
import type { StoredRequest } from './sp-requests.ts';

export interface Transaction {
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

/** A status code, with the seconds to wait while the package is being prepared. */
export interface TxStatus {
  code: TransactionStatus['status'] | 205;
  retryAfter?: number;
}

/** The real platform's codes: 205 refused, 429 preparing, 201 delivered, 410 expired, 504 all failed, 403 some failed, 200 ready. */
export function transactionStatus(tx: Transaction, now: number): TxStatus {
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
function statusBody(world: SandboxWorld, tx: Transaction, code: TransactionStatus['status'], built?: BuiltPackage): TransactionStatus {
  return {
    tx_id: tx.id,
    status: code,
    service_id: tx.service.id,
    delivery: tx.delivery,
    created_at: new Date(tx.createdAt).toISOString(),
    ready_at: new Date(tx.readyAt).toISOString(),
    expires_at: new Date(tx.readyAt + PACKAGE_LIFETIME_MS).toISOString(),
    delivered_at: tx.deliveredAt === undefined ? null : new Date(tx.deliveredAt).toISOString(),
    datasets: (tx.codes ?? tx.datasets.map((d) => ({ dataset: d.id, provider: world.datasets.find((x) => x.id === d.id)?.provider ?? '', code: null })))
      .map((c) => ({ id: c.dataset, provider: c.provider, code: c.code })),
    package: built ? { size: built.bytes.length, sha256: built.sha256 } : null,
  };
}


/** Answers a status read: 205 bare, any other code with its body and, while preparing, Retry-After. */
export function answerStatus(res: ServerResponse, world: SandboxWorld, tx: Transaction, status: TxStatus & { built?: BuiltPackage }): void {
  if (status.code === 205) {
    // 205 Reset Content carries no body (RFC 9110 §15.3.6): the status itself says the subject refused.
    res.writeHead(205, { 'cache-control': 'no-store', 'content-length': '0' });
    res.end();
    return;
  }
  sendJson(res, status.code, statusBody(world, tx, status.code, status.built), status.retryAfter ? { 'retry-after': String(status.retryAfter) } : {});
}
