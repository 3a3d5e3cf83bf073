// The vault's packages for the person: as views, one file read as text or as a PDF (in memory only), a whole package or one file saved into a folder they pick, and deletion.
//
// Paths never come from the renderer: export folders are chosen through main's dialogs (the FileDialogs port), so a
// compromised page cannot name a folder to write.
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rmdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MyDataErrorCode, PDF_VIEW_MAX_BYTES, type ExportResult, type PackageView } from '../../contract/package.ts';
import { decodeText, detectTextEncoding } from '../datasets/text.ts';
import { VaultError } from '../vault/index.ts';
import type { MyDataOptions } from './context.ts';
import { myDataFailure } from './errors.ts';
import { kindOf, packageView } from './package-view.ts';

const READ_LIMIT = 8 * 1024 * 1024;

/** Where a PDF's header may start: within the first 1024 bytes, as readers allow (ISO 32000, annex H). */
const PDF_HEADER_WINDOW = 1024;
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

function hasPdfHeader(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, PDF_HEADER_WINDOW)).includes(PDF_MAGIC);
}

/** The bytes as a plain Uint8Array over exactly their own buffer (what the contract carries), copying only when needed. */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return new Uint8Array(buffer);
  return Uint8Array.from(bytes);
}

export class PackageFiles {
  readonly #options: MyDataOptions;

  constructor(options: MyDataOptions) {
    this.#options = options;
  }

  async list(): Promise<PackageView[]> {
    const { vault } = await this.#options.stores.get();
    const known = this.#options.knownServices();
    return (await vault.list()).map((s) => packageView(s, known));
  }

  async get(id: string): Promise<PackageView> {
    const { vault } = await this.#options.stores.get();
    return packageView(await vault.get(id), this.#options.knownServices());
  }

  /** A JSON or CSV file as text, decrypted in memory only (bounded). */
  async read(id: string, name: string): Promise<{ name: string; text: string }> {
    const kind = kindOf(name);
    if (kind !== 'json' && kind !== 'csv') throw myDataFailure(MyDataErrorCode.NOT_TEXT, { cause: 'not-table' });
    const { vault } = await this.#options.stores.get();
    const bytes = await vault.readFileBytes(id, name, { maxBytes: READ_LIMIT });
    // The importer's own decoder (datasets/text.ts): UTF-8 with or without a BOM, UTF-16 with one, or Big5; never guessed.
    const encoding = detectTextEncoding(bytes);
    if (encoding === null) throw myDataFailure(MyDataErrorCode.NOT_TEXT, { cause: 'encoding' });
    return { name, text: decodeText(bytes, encoding) };
  }

  /**
   * A PDF's bytes for the in-app viewer, decrypted in memory only (nothing is written to disk). Refused with a named
   * error when the file is over PDF_VIEW_MAX_BYTES (checked before decrypting) or is not a PDF (by name and header).
   */
  async readPdf(id: string, name: string): Promise<{ name: string; bytes: Uint8Array<ArrayBuffer> }> {
    if (kindOf(name) !== 'pdf') throw myDataFailure(MyDataErrorCode.NOT_PDF);
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const file = summary.files.find((f) => f.name === name);
    if (!file) throw VaultError.fileNotFound(id, name);
    if (file.size > PDF_VIEW_MAX_BYTES) throw myDataFailure(MyDataErrorCode.PDF_TOO_LARGE, { mib: PDF_VIEW_MAX_BYTES / (1024 * 1024) });
    const bytes = await vault.readFileBytes(id, file.name, { maxBytes: PDF_VIEW_MAX_BYTES });
    if (!hasPdfHeader(bytes)) throw myDataFailure(MyDataErrorCode.NOT_PDF);
    return { name: file.name, bytes: ownBytes(bytes) };
  }

  async #chooseFolder(): Promise<string | null> {
    if (this.#options.dialogs) return this.#options.dialogs.chooseFolder('export');
    // Without a dialog (the test bridge), exports go to the profile's exports/ folder.
    const dir = join(this.#options.profileDir, 'exports');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** Decrypts a whole package into a new folder inside the one the person picks (G12). */
  async export(id: string): Promise<ExportResult> {
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const parent = await this.#chooseFolder();
    if (parent === null) return { cancelled: true };
    const stamp = summary.storedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, '').replace('T', '-');
    const base = `MyData-${summary.meta.service.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${stamp}`;
    let folder = '';
    for (let n = 1; ; n++) {
      folder = join(parent, n === 1 ? base : `${base}-${n}`);
      try {
        await mkdir(folder);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 50) throw VaultError.exportExists(folder);
      }
    }
    try {
      const { files } = await vault.export(id, folder);
      return { cancelled: false, folder, files };
    } catch (error) {
      await rmdir(folder).catch(() => undefined);
      throw error;
    }
  }

  /** Saves one file (a PDF for the person's reader) into a folder they pick; never overwrites. */
  async exportFile(id: string, name: string): Promise<ExportResult> {
    const { vault } = await this.#options.stores.get();
    const summary = await vault.get(id);
    const file = summary.files.find((f) => f.name === name);
    if (!file) throw VaultError.fileNotFound(id, name);
    const folder = await this.#chooseFolder();
    if (folder === null) return { cancelled: true };
    const target = join(folder, basename(file.name));
    const temp = join(folder, `.${basename(file.name)}.${randomBytes(6).toString('hex')}.part`);
    let created = false;
    try {
      const handle = await open(temp, 'wx', 0o600);
      created = true;
      try {
        for await (const chunk of vault.readFile(id, file.name)) await handle.write(chunk);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, target);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw VaultError.exportExists(target);
        throw error;
      }
      return { cancelled: false, folder, files: [target] };
    } finally {
      if (created) await unlink(temp).catch(() => undefined);
    }
  }

  async delete(id: string): Promise<void> {
    const { vault } = await this.#options.stores.get();
    await vault.delete(id);
  }
}
