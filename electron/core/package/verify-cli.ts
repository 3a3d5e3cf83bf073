// Command line for auditors: verify a MyData download without the app and print one JSON verdict (exit 0 verified, 3 unsigned, 1 refused, 2 usage).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppFailure, type AppError } from '../../contract/errors.ts';
import { bindingsFromJson, type SignerBindings } from './signers.ts';
import { officialTrust } from './trust.ts';
import { verifyPackage, type PackageVerdict } from './verify.ts';
import { detectLayout, readWebsiteDownload, type WebsiteDownload } from './website.ts';

const USAGE =
  'usage: npm run package:verify -- FILE [--id ID] [--trust PEM]… [--chain PEM]… [--signers JSON] [--resource ID] [--at ISO-TIME]';

const EXIT = { verified: 0, refused: 1, usage: 2, unsigned: 3 } as const;

type Verdict = 'verified' | 'unsigned' | 'refused';

const errorJson = (e: AppError) => ({ code: e.code, message: e.message_en, message_zh: e.message_zh });

function print(out: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

function usage(message: string): never {
  print({ verdict: 'refused', ok: false, error: { code: 'PACKAGE_USAGE', message: `${message}. ${USAGE}`, message_zh: `用法錯誤：${message}。${USAGE}` }, providers: [] });
  process.exit(EXIT.usage);
}

function signedOutput(v: PackageVerdict): Record<string, unknown> {
  const verdict: Verdict = v.ok ? 'verified' : 'refused';
  return {
    verdict,
    ok: v.ok,
    kind: v.kind,
    error: v.error === null ? null : errorJson(v.error),
    verified_at: v.verified_at,
    errors: v.errors.map(errorJson),
    providers: v.providers.map((p) => ({
      resource_id: p.resource_id,
      dataset: p.dataset,
      provider: p.provider,
      code: p.code,
      status: p.status,
      signature: p.signature,
      certificate: p.certificate,
      certificate_subject: p.certificate_info?.subject ?? null,
      certificate_issuer: p.certificate_info?.issuer ?? null,
      certificate_sha256: p.certificate_info?.fingerprint256.replaceAll(':', '').toLowerCase() ?? null,
      path: p.path,
      files: p.files,
      errors: p.errors.map(errorJson),
    })),
    /** Datasets the outer manifest lists with a code other than 200 and no part: reported, not failures. */
    not_delivered: v.providers.filter((p) => p.status === 'not-delivered').map((p) => ({ resource_id: p.resource_id, code: p.code })),
  };
}

function unsignedOutput(v: WebsiteDownload): Record<string, unknown> {
  return {
    verdict: v.verdict satisfies Verdict,
    ok: false,
    kind: 'website',
    error: null,
    note: 'No provider signatures in this download: its integrity can be checked only against the SHA-256 recorded when it was received.',
    sha256: v.sha256,
    size: v.size,
    hints: v.hints,
    files: v.files.map((f) => ({ name: f.name, type: f.type, size: f.size, sha256: f.sha256, encrypted: f.encrypted, zip_encrypted: f.zipEncrypted, pdf_cipher: f.pdfCipher, opened_with_id: f.openedWithId, encoding: f.encoding })),
    /** Encrypted files not opened because no --id was given: listed, never read. */
    unopened: v.unopened,
    providers: [],
  };
}

function readPems(paths: readonly string[], what: string): string[] {
  return paths.map((path) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      usage(`cannot read ${what} file ${path}`);
    }
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        id: { type: 'string' },
        trust: { type: 'string', multiple: true },
        chain: { type: 'string', multiple: true },
        signers: { type: 'string' },
        resource: { type: 'string' },
        at: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
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
  // Without --trust: the official profile's anchors (GRCA G3) and intermediates; the sandbox CA is never a default.
  const official = values.trust === undefined || values.signers === undefined ? officialTrust() : null;
  const anchors = values.trust === undefined ? (official?.anchors ?? []) : readPems(values.trust, 'trust anchor');
  const intermediates = [...(values.trust === undefined ? (official?.intermediates ?? []) : []), ...readPems(values.chain ?? [], 'intermediate')];
  let signers: SignerBindings = official?.signers ?? new Map();
  if (values.signers !== undefined) {
    try {
      signers = bindingsFromJson(JSON.parse(readFileSync(values.signers, 'utf8')));
    } catch (error) {
      usage(`--signers ${values.signers}: ${error instanceof Error ? error.message.split('\n')[0] : 'unreadable'} (expected {"resource_id": ["sha256:<hex>" | "DN=<subject>" | "O=<organisation>", …]})`);
    }
  }
  let at: Date | undefined;
  if (values.at !== undefined) {
    at = new Date(values.at);
    if (Number.isNaN(at.getTime())) usage(`--at ${values.at} is not a date`);
  }
  if (values.id?.trim() === '') usage('--id is empty');
  if (values.resource?.trim() === '') usage('--resource is empty');

  try {
    // A download without provider signatures (the website's flat zip, a lone PDF/CSV/JSON) has its own reader;
    // anything else, hostile or damaged archives included, goes to the package verifier and its named refusals.
    const layout = await detectLayout(file);
    if (layout === 'website-zip' || layout === 'pdf' || layout === 'csv' || layout === 'json') {
      const download = await readWebsiteDownload(file, { id: values.id });
      print(unsignedOutput(download));
      return EXIT.unsigned;
    }
    const verdict = await verifyPackage(file, {
      trustAnchors: anchors,
      intermediates,
      signers,
      ...(values.resource === undefined ? {} : { resourceId: values.resource }),
      ...(values.id === undefined ? {} : { password: values.id }),
      ...(at === undefined ? {} : { now: () => at }),
    });
    print(signedOutput(verdict));
    return verdict.ok ? EXIT.verified : EXIT.refused;
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error;
    print({ verdict: 'refused', ok: false, error: errorJson(error.toAppError()), providers: [] });
    return EXIT.refused;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.refused;
  },
);
