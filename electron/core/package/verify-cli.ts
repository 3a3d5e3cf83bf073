// Command line: verify a MyData package without the app, printing one JSON verdict (exit 0 verified, 1 not verified, 2 usage).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppFailure } from '../../contract/errors.ts';
import { verifyPackage, type PackageVerdict } from './verify.ts';

const USAGE = 'usage: npm run package:verify -- <file.zip> [--id <national id>] [--trust <ca.pem>]… [--at <ISO time>]';

interface CliOutput {
  ok: boolean;
  error: { code: string; message: string; message_zh: string } | null;
  kind?: PackageVerdict['kind'];
  storable?: boolean;
  verified_at?: string;
  errors?: { code: string; message: string }[];
  providers: {
    resource_id: string;
    resource_name: string | null;
    code: string | null;
    status: string;
    signature: string;
    certificate: string;
    certificate_subject: string | null;
    certificate_issuer: string | null;
    files: { filename: string; digest: string; size: number; verified: boolean }[];
    errors: { code: string; message: string }[];
  }[];
}

function print(out: CliOutput): void {
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

function usage(message: string): never {
  print({ ok: false, error: { code: 'PACKAGE_USAGE', message: `${message}. ${USAGE}`, message_zh: `用法錯誤：${message}。${USAGE}` }, providers: [] });
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { id: { type: 'string' }, trust: { type: 'string', multiple: true }, at: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    usage(error instanceof Error ? error.message : 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1) usage(positionals.length === 0 ? 'no package file given' : 'exactly one package file is expected');
  const file = positionals[0] ?? '';
  const anchors: string[] = [];
  for (const path of values.trust ?? []) {
    try {
      anchors.push(readFileSync(path, 'utf8'));
    } catch {
      usage(`cannot read trust anchor file ${path}`);
    }
  }
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime())) usage(`--at ${values.at} is not a date`);
  }
  if (values.id?.trim() === '') usage('--id is empty');

  try {
    const verdict = await verifyPackage(file, {
      trustAnchors: anchors,
      ...(values.id === undefined ? {} : { password: values.id }),
      ...(at === undefined ? {} : { now: () => at }),
    });
    print({
      ok: verdict.ok,
      error: verdict.error === null ? null : { code: verdict.error.code, message: verdict.error.message_en, message_zh: verdict.error.message_zh },
      kind: verdict.kind,
      storable: verdict.storable,
      verified_at: verdict.verified_at,
      errors: verdict.errors.map((e) => ({ code: e.code, message: e.message_en })),
      providers: verdict.providers.map((p) => ({
        resource_id: p.resource_id,
        resource_name: p.resource_name,
        code: p.code,
        status: p.status,
        signature: p.signature,
        certificate: p.certificate,
        certificate_subject: p.certificate_info?.subject ?? null,
        certificate_issuer: p.certificate_info?.issuer ?? null,
        files: p.files,
        errors: p.errors.map((e) => ({ code: e.code, message: e.message_en })),
      })),
    });
    return verdict.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error;
    print({ ok: false, error: { code: error.code, message: error.message_en, message_zh: error.message_zh }, providers: [] });
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
