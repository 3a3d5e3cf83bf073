// Receipts at rest: one AES-256-GCM file per receipt under the profile, keyed from the vault, written atomically.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { ReceiptSchema, type Receipt, type ReceiptSummary } from '../../contract/consent.ts';
import { ConsentErrorCode as C } from '../../contract/consent.ts';
import { isTempName, nodeVaultFs, writeFileAtomic, type VaultFs } from '../vault/fsio.ts';
import { consentFailure } from './errors.ts';
import { summarize } from './receipt.ts';

const MAGIC = Buffer.from('MDRC1', 'ascii');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SUFFIX = '.receipt';
const ID = /^rcpt-[0-9a-f-]{36}$/;

export interface ReceiptStoreOptions {
  dir: string;
  /** 32 bytes: vault.deriveKey('receipts'). */
  key: Uint8Array;
  fs?: VaultFs;
}

/** The profile's receipts, keyed from the vault: the one place that says where they live (consent, My data). */
export function profileReceipts(profileDir: string, vault: { deriveKey(purpose: string): Uint8Array }): ReceiptStore {
  return new ReceiptStore({ dir: join(profileDir, 'receipts'), key: vault.deriveKey('receipts') });
}

export class ReceiptStore {
  readonly #dir: string;
  readonly #key: Buffer;
  readonly #fs: VaultFs;

  constructor(options: ReceiptStoreOptions) {
    if (options.key.length !== 32) throw new Error('receipt key must be 32 bytes');
    this.#dir = options.dir;
    this.#key = Buffer.from(options.key);
    this.#fs = options.fs ?? nodeVaultFs;
  }

  #path(id: string): string {
    if (!ID.test(id)) throw consentFailure(C.UNKNOWN_RECEIPT);
    return join(this.#dir, `${id}${SUFFIX}`);
  }

  /** The receipt id is the additional data, so a file renamed to another receipt's name does not decrypt. */
  seal(receipt: Receipt): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(receipt.receipt_id, 'utf8'));
    const body = Buffer.concat([cipher.update(JSON.stringify(receipt), 'utf8'), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  open(id: string, sealed: Uint8Array): Receipt {
    const bytes = Buffer.from(sealed);
    if (bytes.length < MAGIC.length + IV_BYTES + TAG_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw consentFailure(C.RECEIPT_DAMAGED);
    const iv = bytes.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = bytes.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const body = bytes.subarray(MAGIC.length + IV_BYTES + TAG_BYTES);
    let json: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(id, 'utf8'));
      decipher.setAuthTag(tag);
      json = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (error) {
      throw consentFailure(C.RECEIPT_DAMAGED, { cause: error });
    }
    const parsed = ReceiptSchema.safeParse(JSON.parse(json));
    if (!parsed.success || parsed.data.receipt_id !== id) throw consentFailure(C.RECEIPT_DAMAGED);
    return parsed.data;
  }

  async save(receipt: Receipt): Promise<void> {
    const valid = ReceiptSchema.parse(receipt);
    await this.#fs.mkdir(this.#dir);
    await writeFileAtomic(this.#fs, this.#path(valid.receipt_id), this.seal(valid));
  }

  async get(id: string): Promise<Receipt> {
    const path = this.#path(id);
    if (!(await this.#fs.exists(path))) throw consentFailure(C.UNKNOWN_RECEIPT);
    return this.open(id, await this.#fs.readFile(path));
  }

  async ids(): Promise<string[]> {
    if (!(await this.#fs.exists(this.#dir))) return [];
    return (await this.#fs.readdir(this.#dir))
      .filter((name) => !isTempName(name) && name.endsWith(SUFFIX))
      .map((name) => name.slice(0, -SUFFIX.length))
      .filter((id) => ID.test(id));
  }

  /** Newest first. A damaged receipt is left out of the list (opening it names the damage). */
  async list(): Promise<ReceiptSummary[]> {
    const out: ReceiptSummary[] = [];
    for (const id of await this.ids()) {
      try {
        out.push(summarize(await this.get(id)));
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === C.RECEIPT_DAMAGED)) throw error;
      }
    }
    return out.sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp));
  }
}
