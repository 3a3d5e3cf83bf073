// `npm run history:verify -- <export.csv> [--receipt FILE]…`: checks an exported history's chain without any key,
// and that each receipt's chain head is in it at the receipt's length.
// Exit codes: 0 the chain verifies (and every receipt given is in it, or in a part pruned by retention), 1 broken
// (the first bad position is printed), 2 usage (no file, unreadable, not a history export, not a receipt),
// 4 the chain verifies but a receipt is not in it (its head differs at its length, or the export is shorter).
import { readFile } from 'node:fs/promises';
import { exportChain, verifyCsvExport } from './export.ts';
import { checkReceiptHead, isFlagged, receiptHead, type ReceiptHead } from './receipt-check.ts';

const USAGE =
  'usage: npm run history:verify -- <history-export.csv> [--receipt <receipt.json>]…\n' +
  '用法：npm run history:verify -- <分享紀錄匯出檔.csv> [--receipt <同意紀錄.json>]…\n';

function parseArgs(argv: readonly string[]): { file: string; receipts: string[] } | null {
  const args = argv.filter((a) => a !== '--');
  const receipts: string[] = [];
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '-h' || a === '--help') return null;
    if (a === '--receipt') {
      const next = args[++i];
      if (next === undefined) return null;
      receipts.push(next);
    } else if (a.startsWith('--receipt=')) receipts.push(a.slice('--receipt='.length));
    else if (a.startsWith('--')) return null;
    else files.push(a);
  }
  return files.length === 1 && files[0] ? { file: files[0], receipts } : null;
}

async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed) {
    process.stderr.write(USAGE);
    return 2;
  }
  const { file } = parsed;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n無法讀取 ${file}\n`);
    return 2;
  }
  const receipts: { path: string; head: ReceiptHead }[] = [];
  for (const path of parsed.receipts) {
    let head: ReceiptHead | null;
    try {
      head = receiptHead(await readFile(path, 'utf8'));
    } catch (error) {
      process.stderr.write(`cannot read ${path}: ${(error as Error).message}\n無法讀取 ${path}\n`);
      return 2;
    }
    if (!head) {
      process.stderr.write(`${path}: not a receipt (no history.chain_head and history.count)\n${path} 不是同意紀錄檔。\n`);
      return 2;
    }
    receipts.push({ path, head });
  }
  const result = verifyCsvExport(text);
  if (result.ok) {
    process.stdout.write(
      `OK: ${result.records} records (seq ${result.first_seq}–${result.first_seq + result.records - 1}` +
        `${result.pruned_count > 0 ? `, ${result.pruned_count} earlier records pruned by retention` : ''}), chain head ${result.chain_head}\n` +
        `驗證通過：共 ${result.records} 筆，驗證鏈末端雜湊 ${result.chain_head}\n` +
        'Compare the chain head with one shown in the app, a receipt or the PDF report.\n',
    );
    const chain = exportChain(result);
    let flagged = 0;
    for (const { path, head } of receipts) {
      const status = checkReceiptHead(chain, head);
      if (isFlagged(status)) flagged++;
      const zh = { 'in-log': '在紀錄中', 'not-in-log': '不在紀錄中（該筆數的雜湊不同）', 'beyond-log': '不在紀錄中（紀錄比收據當時短）', pruned: '該段已依保存期限刪除，無法比對' }[status];
      process.stdout.write(`RECEIPT ${status}: ${path} (count ${head.count}, chain head ${head.chain_head}) — ${zh}\n`);
    }
    return flagged > 0 ? 4 : 0;
  }
  if (result.kind === 'format') {
    process.stderr.write(`${file}: ${result.reason}\n這不是 MyData Desktop 的分享紀錄匯出檔。\n`);
    return 2;
  }
  const where = [result.position === null ? null : `position (seq) ${result.position}`, result.line === null ? null : `line ${result.line}`]
    .filter((x) => x !== null)
    .join(', ');
  process.stdout.write(
    `BROKEN${where ? ` at ${where}` : ''}: ${result.reason}\n` +
      `驗證失敗${result.position === null ? '' : `：第 ${result.position} 筆`}${result.line === null ? '' : `（檔案第 ${result.line} 行）`}，${result.reason}\n`,
  );
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
