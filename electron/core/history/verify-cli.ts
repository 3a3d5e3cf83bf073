// `npm run history:verify -- <export.csv>`: checks an exported history's chain without any key.
// Exit codes: 0 the chain verifies, 1 broken (the first bad position is printed), 2 usage (no file, unreadable,
// or not a history export).
import { readFile } from 'node:fs/promises';
import { verifyCsvExport } from './export.ts';

async function main(argv: readonly string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  if (args.length !== 1 || args[0] === '-h' || args[0] === '--help') {
    process.stderr.write('usage: npm run history:verify -- <history-export.csv>\n用法：npm run history:verify -- <分享紀錄匯出檔.csv>\n');
    return 2;
  }
  const file = args[0] ?? '';
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as Error).message}\n無法讀取 ${file}\n`);
    return 2;
  }
  const result = verifyCsvExport(text);
  if (result.ok) {
    process.stdout.write(
      `OK: ${result.records} records (seq ${result.first_seq}–${result.first_seq + result.records - 1}` +
        `${result.pruned_count > 0 ? `, ${result.pruned_count} earlier records pruned by retention` : ''}), chain head ${result.chain_head}\n` +
        `驗證通過：共 ${result.records} 筆，驗證鏈末端雜湊 ${result.chain_head}\n` +
        'Compare the chain head with one shown in the app, a receipt or the PDF report.\n',
    );
    return 0;
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
