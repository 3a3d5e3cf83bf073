// Receipt figures: receipt.pdf_ms — building one receipt PDF (zh-TW + English, Noto Sans TC subset), median of
// RUNS after WARMUP builds (the first reads the 7 MB font and parses it; the JIT settles over the next few, as it would in a
// running app); the first build's time is in the note. receipt.pdf_kib — that PDF's size.
import { buildReceipt } from '../../../electron/core/consent/receipt.ts';
import { buildReceiptPdf } from '../../../electron/core/consent/receipt-pdf.ts';
import { selectFields } from '../../../electron/core/consent/rules.ts';
import { SESSION, loanService } from '../../unit/consent/fixtures.ts';
import { median, type FigureSource } from '../types.ts';

const RUNS = Number(process.env.BENCH_RECEIPT_RUNS ?? 20);
const WARMUP = Number(process.env.BENCH_RECEIPT_WARMUP ?? 5);

export const measure: FigureSource = async () => {
  const service = loanService();
  const receipt = buildReceipt({
    time: new Date('2026-11-27T04:05:06Z'),
    decision: 'consent',
    platform: { origin: 'http://127.0.0.1:4000', name: { zh: 'MyData 沙盒平臺', en: 'MyData Sandbox Platform' } },
    service,
    selection: selectFields(service, [{ dataset: 'API.UDauDOLyZg', field: 'household_members' }]),
    session: SESSION,
    txId: 'bench-tx-0001',
    request: { uri: 'urn:mydata:request:bench', origin: 'http://127.0.0.1:4100' },
    history: { head: 'ab'.repeat(32), count: 42 },
  });
  const first = performance.now();
  let bytes = await buildReceiptPdf(receipt);
  const firstMs = performance.now() - first;
  for (let i = 1; i < WARMUP; i++) bytes = await buildReceiptPdf(receipt);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    bytes = await buildReceiptPdf(receipt);
    times.push(performance.now() - t0);
  }
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    'receipt.pdf_ms': { value: round(median(times)), unit: 'ms', budget: 150, note: `one service-provider receipt (3 datasets), zh-TW + English pages, median of ${RUNS} after ${WARMUP} warm-up builds (first build ${round(firstMs)} ms)` },
    'receipt.pdf_kib': { value: round(bytes.length / 1024), unit: 'KiB', budget: 60, note: 'the same PDF with its Noto Sans TC subset embedded' },
  };
};
