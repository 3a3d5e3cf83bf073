// Consent (ARCHITECTURE §5, §8): the public surface main composes and tests use.
export { ConsentService } from './service.ts';
export type { ConsentServiceOptions, ConsentIdentity, ConsentDirectory, ConsentStores, ConsentHistory } from './service.ts';
export * from './rules.ts';
export { buildReceipt, newReceiptId, summarize } from './receipt.ts';
export type { ReceiptInput } from './receipt.ts';
export { buildReceiptPdf } from './receipt-pdf.ts';
export { ReceiptStore } from './receipt-store.ts';
export { consentFailure, isConsentFailure } from './errors.ts';
export { consentView } from './view.ts';
