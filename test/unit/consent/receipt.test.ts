// Receipts (G12): content after the Kantara consent receipt, encrypted at rest, and a PDF whose Chinese text extracts and renders.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { ReceiptSchema } from '../../../electron/contract/consent.ts';
import { buildReceipt, newReceiptId } from '../../../electron/core/consent/receipt.ts';
import { buildReceiptPdf } from '../../../electron/core/consent/receipt-pdf.ts';
import { ReceiptStore } from '../../../electron/core/consent/receipt-store.ts';
import { selectFields } from '../../../electron/core/consent/rules.ts';
import { SESSION, loanService, selfService } from './fixtures.ts';

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0;
const HEAD = 'ab'.repeat(32);
const KEY = new Uint8Array(32).fill(7);
const temp = () => mkdtempSync(join(tmpdir(), 'receipts-'));

function loanReceipt(decision: 'consent' | 'refuse' = 'consent') {
  const service = loanService();
  return buildReceipt({
    time: new Date('2026-11-27T04:05:06Z'),
    decision,
    platform: { origin: 'http://127.0.0.1:4000', name: { zh: 'MyData 沙盒平臺', en: 'MyData Sandbox Platform' } },
    service,
    selection: selectFields(service, [{ dataset: 'API.UDauDOLyZg', field: 'household_members' }]),
    session: SESSION,
    txId: 'tx_ABC-123',
    request: { uri: 'urn:mydata:request:xyz', origin: 'http://127.0.0.1:4100' },
    history: { head: HEAD, count: 3 },
  });
}

describe('receipt content', () => {
  it('a service-provider consent: controller is the provider; consented and declined fields; terms, method, tx_id, chain head', () => {
    const r = loanReceipt();
    expect(ReceiptSchema.parse(r)).toEqual(r);
    expect(r).toMatchObject({
      jurisdiction: 'TW', decision: 'consent', collection_method: 'app-service-provider-request', tx_id: 'tx_ABC-123',
      terms: { version: '2026.04', sha256: loanService().terms.sha256 },
      subject: { type: 'natural', masked_id: 'H12604****', company_masked_id: null },
      verification: { method: 'moica', level: 0, name: { zh: '自然人憑證' } },
      history: { chain_head: HEAD, count: 3 },
      request_uri: 'urn:mydata:request:xyz',
      recipient: { kind: 'service-provider', id: 'sunny-bank', origin: 'http://127.0.0.1:4100', retention: { zh: '核貸後保存五年' } },
    });
    expect(r.receipt_id).toMatch(/^rcpt-[0-9a-f-]{36}$/);
    expect(r.controllers.map((c) => [c.id, c.role])).toEqual([['sunny-bank', 'service-provider']]);
    const household = r.data_categories.find((c) => c.dataset.id === 'API.UDauDOLyZg')!;
    expect(household.consented.map((f) => f.name)).toEqual(['name']);
    expect(household.declined.map((f) => f.name)).toEqual(['household_members']);
    // G10: a field without a purpose stays flagged in the receipt (purpose null).
    const tax = r.data_categories.find((c) => c.dataset.id === 'API.syWqjr4flJ')!;
    expect(tax.consented.find((f) => f.name === 'employer_name')?.purpose).toBeNull();
    expect(JSON.stringify(r)).not.toMatch(/H126047583/);
  });

  it('a refusal consents to nothing; a self-download names the data providers as controllers', () => {
    const refused = loanReceipt('refuse');
    expect(refused.data_categories.every((c) => c.consented.length === 0 && c.declined.length > 0)).toBe(true);
    const service = selfService();
    const self = buildReceipt({
      time: new Date(), decision: 'consent', platform: { origin: 'http://x', name: { zh: '平臺', en: 'Platform' } }, service,
      selection: selectFields(service, []), session: { ...SESSION, subjectType: 'legal', company: { ban: '53028473', name: '青山綠能' } },
      txId: 't1', request: null, history: { head: HEAD, count: 0 },
    });
    expect(self.recipient).toEqual({ kind: 'self' });
    expect(self.controllers.map((c) => [c.id, c.role])).toEqual([['moi-dhr', 'data-provider']]);
    expect(self.collection_method).toBe('app-self-download');
    expect(self.subject.company_masked_id).toBe('5302****');
  });
});

describe('receipt store', () => {
  it('round-trips encrypted: no plain text on disk, newest first', async () => {
    const dir = temp();
    const store = new ReceiptStore({ dir, key: KEY });
    const a = loanReceipt();
    const b = { ...loanReceipt('refuse'), receipt_id: newReceiptId(), timestamp: '2026-11-28T00:00:00.000Z' };
    await store.save(a);
    await store.save(b);
    expect(await store.get(a.receipt_id)).toEqual(a);
    expect((await store.list()).map((s) => [s.receipt_id, s.decision])).toEqual([[b.receipt_id, 'refuse'], [a.receipt_id, 'consent']]);
    for (const name of readdirSync(dir)) {
      const raw = readFileSync(join(dir, name));
      expect(raw.includes(Buffer.from('sunny-bank'))).toBe(false);
      expect(raw.includes(Buffer.from('陽光'))).toBe(false);
    }
  });

  it('a flipped byte, a wrong key or a file renamed to another receipt fails as RECEIPT_DAMAGED and drops out of the list', async () => {
    const dir = temp();
    const store = new ReceiptStore({ dir, key: KEY });
    const a = loanReceipt();
    const b = { ...loanReceipt(), receipt_id: newReceiptId() };
    await store.save(a);
    await store.save(b);
    await expect(new ReceiptStore({ dir, key: new Uint8Array(32) }).get(a.receipt_id)).rejects.toMatchObject({ code: 'CONSENT_RECEIPT_DAMAGED' });
    const file = join(dir, `${a.receipt_id}.receipt`);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5]! ^= 1;
    writeFileSync(file, bytes);
    await expect(store.get(a.receipt_id)).rejects.toMatchObject({ code: 'CONSENT_RECEIPT_DAMAGED' });
    renameSync(join(dir, `${b.receipt_id}.receipt`), join(dir, `${newReceiptId()}.receipt`));
    expect(await store.list()).toEqual([]);
    await expect(store.get('rcpt-../../etc/passwd')).rejects.toMatchObject({ code: 'CONSENT_UNKNOWN_RECEIPT' });
    await expect(store.get(newReceiptId())).rejects.toMatchObject({ code: 'CONSENT_UNKNOWN_RECEIPT' });
  });
});

describe('receipt PDF', () => {
  it('is small, bilingual, and its Chinese text, terms digest, tx_id and chain head extract', async () => {
    const r = loanReceipt();
    const pdf = await buildReceiptPdf(r);
    const doc = await PDFDocument.load(pdf);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(2);
    expect(pdf.length).toBeLessThan(120_000);
    if (!hasPoppler) return;
    const dir = temp();
    const file = join(dir, 'receipt.pdf');
    writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    for (const expected of ['MyData同意收據', '陽光商業銀行', '審核房屋貸款申請', '戶內人口', '未說明目的', '核貸後保存五年', '自然人憑證', 'MyDataconsentreceipt', 'SunnyCommercialBank', 'tx_ABC-123', HEAD, loanService().terms.sha256, 'H12604****']) {
      expect(text).toContain(expected);
    }
  });

  it('renders as pages (pdftoppm)', async () => {
    if (!hasPoppler) return;
    const dir = temp();
    const file = join(dir, 'receipt.pdf');
    writeFileSync(file, await buildReceiptPdf(loanReceipt('refuse')));
    execFileSync('pdftoppm', ['-r', '40', '-png', file, join(dir, 'page')]);
    const pages = readdirSync(dir).filter((n) => n.startsWith('page') && n.endsWith('.png'));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const png = readFileSync(join(dir, pages.sort()[0]!));
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(png.length).toBeGreaterThan(2000);
  });
});
