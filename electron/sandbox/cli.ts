// `npm run sandbox`: starts the embedded sandbox platform alone and prints its URLs, personas and demo pages (or one JSON line with --json).
import { enableCompileCache } from 'node:module';
import { parseArgs } from 'node:util';

// Node's on-disk compile cache keeps the compiled (type-stripped) modules, so every start after the first skips
// compiling the sandbox and its libraries again; it must be on before they load, hence the dynamic imports below.
enableCompileCache();
const { startSandbox } = await import('./index.ts');
const { maskId } = await import('../common/ids.ts');

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    port: { type: 'string' },
    'state-dir': { type: 'string' },
    'preparation-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.log('Usage: npm run sandbox -- [--json] [--port N] [--state-dir DIR] [--preparation-ms N]');
  process.exit(0);
}

function numberOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer`);
    process.exit(2);
  }
  return n;
}

const sandbox = await startSandbox({
  port: numberOption('port', values.port),
  stateDir: values['state-dir'],
  preparationMs: numberOption('preparation-ms', values['preparation-ms']),
});

if (values.json) {
  console.log(JSON.stringify({ platform: sandbox.platform, idps: sandbox.idps.map((i) => i.issuer), serviceProviders: sandbox.serviceProviders.map((s) => s.origin) }));
} else {
  const { world } = sandbox;
  const lines = [
    'MyData 沙盒平臺 MyData Sandbox Platform',
    `  平臺 Platform API     ${sandbox.platform}   (metadata: ${sandbox.platform}/.well-known/mydata-platform, OpenAPI: ${sandbox.platform}/openapi.json)`,
    `  狀態資料夾 State      ${sandbox.stateDir}`,
    '',
    '認可之身分驗證機構 Accredited identity providers',
    ...sandbox.idps.map((i) => `  ${i.name_zh} / ${i.name_en}\n    ${i.issuer}   methods: ${i.methods.join(', ')}`),
    '',
    '人物（虛構）Personas (fictional) — PIN for every card method',
    ...world.people.map((p) => `  ${p.name_zh} ${p.name_en}  ${maskId(p.national_id)}${p.resident ? '  (統一證號 resident)' : ''}  PIN ${p.pin}`),
    ...world.companies.map((c) => {
      const rep = world.people.find((p) => p.id === c.representative);
      return `  ${c.name_zh} ${c.name_en}  統一編號 ${c.ban}  代表人 ${rep?.name_zh ?? '?'} (工商憑證 PIN ${rep?.pin ?? '?'})`;
    }),
    '',
    '服務提供者示範頁 Service provider demo pages',
    ...sandbox.serviceProviders.map((s) => `  ${s.service.name_zh} (${s.service.status})\n    ${s.origin}/`),
    '',
    'Ctrl+C 結束 to stop',
  ];
  console.log(lines.join('\n'));
}

const stop = (): void => {
  void sandbox.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
