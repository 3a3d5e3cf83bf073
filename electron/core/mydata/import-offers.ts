// Files offered for import (picked, dropped, or found in the downloads folder), held behind a random token until the person confirms, then imported with the profile's trust.
//
// An import file is referred to by its token after it is offered, so a compromised page cannot name a file to read.
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportSource } from '../../contract/history.ts';
import { MyDataErrorCode, type ImportChoice, type ImportResult } from '../../contract/package.ts';
import { isValidPersonalId } from '../../common/ids.ts';
import { datasetsOf, directoryOrEmpty, historySubject, subjectIds, trustOf, type MyDataOptions } from './context.ts';
import { myDataFailure } from './errors.ts';
import { importCandidate, inspectCandidate, type ImportCandidate, type ImportInspection } from './importer.ts';
import { packageView } from './package-view.ts';

const IMPORT_TOKEN_TTL_MS = 30 * 60_000;

type Offered = Extract<ImportChoice, { cancelled: false }>;

export class ImportOffers {
  readonly #options: MyDataOptions;
  readonly #offers = new Map<string, { candidate: ImportCandidate; inspection: ImportInspection; source: ImportSource | undefined; expires: number }>();

  constructor(options: MyDataOptions) {
    this.#options = options;
  }

  async choose(): Promise<ImportChoice> {
    const path = this.#options.dialogs ? await this.#options.dialogs.chooseFile('import') : null;
    if (path === null) return { cancelled: true };
    const info = await stat(path);
    return this.#offer({ source: path, fileName: basename(path), size: info.size });
  }

  /** A file dropped on the window: its bytes stay in memory (never written to disk) until imported or expired. */
  offerBytes(fileName: string, bytes: Uint8Array): Promise<ImportChoice> {
    return this.#offer({ source: bytes, fileName: basename(fileName.replace(/\\/g, '/')), size: bytes.byteLength });
  }

  /**
   * A file found by the downloads-folder watcher (the journey): offered like a picked one, with its source known.
   * Returns the choice; the person confirms before anything is imported.
   */
  async offerPath(path: string, source: ImportSource): Promise<Offered> {
    const info = await stat(path);
    return this.#offer({ source: path, fileName: basename(path), size: info.size }, source);
  }

  async #offer(candidate: ImportCandidate, source?: ImportSource): Promise<Offered> {
    // An unknown format or a hostile archive is named here, before anything is kept.
    const inspection = await inspectCandidate(candidate);
    const now = Date.now();
    for (const [token, entry] of this.#offers) if (entry.expires < now) this.#offers.delete(token);
    const token = randomBytes(16).toString('base64url');
    this.#offers.set(token, { candidate, inspection, source, expires: now + IMPORT_TOKEN_TTL_MS });
    return { cancelled: false, token, fileName: candidate.fileName, size: candidate.size, encrypted: inspection.needsId, layout: inspection.layout };
  }

  /**
   * Imports the chosen file: a signed package (verified per provider) or the official website's download (verdict
   * unsigned). The national ID opens what it protects for this call only: it is not kept anywhere, and the history
   * gets only its masked form.
   */
  async import(token: string, password?: string, keepUnverified = false): Promise<ImportResult> {
    const choice = this.#offers.get(token);
    if (!choice || choice.expires < Date.now()) throw myDataFailure(MyDataErrorCode.IMPORT_EXPIRED);
    const id = password?.trim().toUpperCase();
    if (id !== undefined && id !== '' && !isValidPersonalId(id)) throw myDataFailure(MyDataErrorCode.PASSWORD_FORMAT);
    const [{ vault, history }, directory] = await Promise.all([this.#options.stores.get(), directoryOrEmpty(this.#options)]);
    const session = this.#options.identity.session();
    const outcome = await importCandidate(choice.candidate, choice.inspection, {
      vault,
      history,
      clock: this.#options.clock,
      datasets: [...(this.#options.datasets?.() ?? []), ...directory.services.flatMap((s) => datasetsOf(s))],
      trust: trustOf(this.#options, directory),
      // Without a verification now, the signed content is checked against the ID typed for this import, if any.
      expectSubjectIds: subjectIds(session, id),
      keepUnverified,
      demo: this.#options.demo?.() ?? false,
      sessionSubject: session ? historySubject(session) : null,
    }, { id: id === '' ? undefined : id, source: choice.source });
    this.#offers.delete(token);
    return { package: packageView(outcome.stored, this.#options.knownServices()), ok: outcome.verdict === 'verified', verdict: outcome.verdict, sha256: outcome.sha256 };
  }

  /** The path behind a token the watcher offered (to offer deleting the plain copy after the import). */
  pathOf(token: string): string | null {
    const source = this.#offers.get(token)?.candidate.source;
    return typeof source === 'string' ? source : null;
  }
}
