// Runs the auditors' `package:verify` CLI as a separate Node process and reads its JSON answer.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../electron/core/package/verify-cli.ts');

/** The CLI's exit status, its JSON (or what it printed when that was not JSON) and its stderr. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the CLI's JSON is asserted field by field
export function runVerifyCli(args: string[], cwd: string, timeout = 90_000): { status: number | null; json: any; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout });
  let json: unknown;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    json = { unparsable: result.stdout, stderr: result.stderr };
  }
  return { status: result.status, json, stderr: result.stderr };
}
