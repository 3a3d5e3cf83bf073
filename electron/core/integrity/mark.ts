// High-water marks (G14, ARCHITECTURE §8): a small keyed file outside a store that remembers how far the store got,
// so restoring an older copy of the store (or cutting it short) is noticed on the next open.
//
// Layout: two 512-byte slots, then an optional reports section.
//   slot    "MDMARK01" (8) | counter u64 | current state (56) | pending state (56) | reports generation u64
//           | HMAC-SHA256 (32) over the label and everything before it in the slot
//   state   file id (16) | count u64 | head (32): all zero = none
//   reports u32 length | AES-256-GCM(nonce ‖ JSON ‖ tag), AAD = "MDMARK01" | label | reports generation
// The hot path (every history append, every vault index commit) rewrites one slot in place, synchronously (O_DSYNC):
// the slot with the higher counter that authenticates wins, so a write torn by a crash leaves the previous slot,
// i.e. a mark behind the store, which open accepts. Reports change rarely: the whole file is then written to a
// temporary name, synced and renamed over. The slot names its reports generation, so an older reports section
// spliced onto newer slots does not authenticate.
// The keys come from the vault's master key (sealed by the OS keychain or the passphrase), like every other store
// key: without it nobody can write a mark that opens. What a mark cannot catch: every file of the profile restored
// together from one older backup (the mark is rolled back with them). Receipts and exports, kept elsewhere, carry
// the chain head for that case.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeVaultFs, removeQuietly, writeFileAtomic } from '../vault/fsio.ts';
import { hkdf, openSmall, sealSmall } from '../vault/keys.ts';

const MAGIC = Buffer.from('MDMARK01', 'latin1');
/** One slot per 512-byte sector, so a torn write of one can never touch the other. */
const SLOT = 512;
const STATE = 56;
const MAC_AT = 8 + 8 + STATE + STATE + 8;
const REPORTS_AT = 2 * SLOT;
const MAX_REPORTS_BYTES = 1 << 20;

/** How far a store got: its file id (the history log's header id; zero for the vault), a count and a head. */
export interface MarkState {
  fileId: Buffer;
  count: number;
  head: Buffer;
}

export type MarkProblem = 'missing' | 'tampered';

export interface MarkContents {
  current: MarkState | null;
  /** A rewrite announced but maybe not finished (the store may show either state after a crash). */
  pending: MarkState | null;
  reports: unknown[];
}

const O_DSYNC = (fsConstants as { O_DSYNC?: number }).O_DSYNC;

function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

function encodeState(s: MarkState | null): Buffer {
  const out = Buffer.alloc(STATE);
  if (!s) return out;
  s.fileId.copy(out, 0, 0, 16);
  out.writeBigUInt64BE(BigInt(s.count), 16);
  s.head.copy(out, 24, 0, 32);
  return out;
}

function decodeState(b: Buffer): MarkState | null {
  if (b.every((x) => x === 0)) return null;
  return { fileId: Buffer.from(b.subarray(0, 16)), count: Number(b.readBigUInt64BE(16)), head: Buffer.from(b.subarray(24, 56)) };
}

export function sameState(a: MarkState | null, b: MarkState | null): boolean {
  if (a === null || b === null) return a === b;
  return a.count === b.count && a.fileId.equals(b.fileId) && a.head.equals(b.head);
}

interface Keys {
  mac: Buffer;
  enc: Buffer;
  label: Buffer;
}

/** A mark file: read once at open, then updated in place by its one writer (the store that owns it). */
export class MarkFile {
  readonly path: string;
  private readonly keys: Keys;
  private handle: FileHandle | null;
  private counter: number;
  private reportsGen: number;
  private reportsBytes: Buffer;
  private contents: MarkContents;
  /** Slot writes run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, keys: Keys, handle: FileHandle | null, counter: number, reportsGen: number, reportsBytes: Buffer, contents: MarkContents) {
    this.path = path;
    this.keys = keys;
    this.handle = handle;
    this.counter = counter;
    this.reportsGen = reportsGen;
    this.reportsBytes = reportsBytes;
    this.contents = contents;
  }

  /**
   * Reads the mark at `path` (keyed with `key`, 32 bytes from the vault; `label` keeps one store's mark from being
   * passed off as another's). `problem` is 'missing' when there is no file and 'tampered' when no slot or the
   * reports do not authenticate; either way the returned MarkFile starts empty and writes a fresh file on first use.
   */
  static async open(path: string, key: Uint8Array, label: string): Promise<{ mark: MarkFile; problem: MarkProblem | null }> {
    const keys: Keys = {
      mac: hkdf(key, new Uint8Array(0), `mydata-desktop/v1/mark/${label}/mac`),
      enc: hkdf(key, new Uint8Array(0), `mydata-desktop/v1/mark/${label}/enc`),
      label: Buffer.from(label, 'utf8'),
    };
    await sweepTemps(path);
    let bytes: Buffer;
    try {
      const h = await open(path, 'r');
      try {
        bytes = await h.readFile();
      } finally {
        await h.close();
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      return { mark: new MarkFile(path, keys, null, 0, 0, Buffer.alloc(0), { current: null, pending: null, reports: [] }), problem: 'missing' };
    }
    const fresh = () => new MarkFile(path, keys, null, 0, 0, Buffer.alloc(0), { current: null, pending: null, reports: [] });
    let best: { counter: number; current: MarkState | null; pending: MarkState | null; gen: number } | null = null;
    for (let s = 0; s < 2; s++) {
      const slot = bytes.subarray(s * SLOT, s * SLOT + SLOT);
      if (slot.length < SLOT || !slot.subarray(0, 8).equals(MAGIC)) continue;
      const mac = slotMac(keys, slot.subarray(0, MAC_AT));
      if (!timingSafeEqual(mac, slot.subarray(MAC_AT, MAC_AT + 32))) continue;
      const counter = Number(slot.readBigUInt64BE(8));
      if (best && best.counter >= counter) continue;
      best = {
        counter,
        current: decodeState(slot.subarray(16, 16 + STATE)),
        pending: decodeState(slot.subarray(16 + STATE, 16 + 2 * STATE)),
        gen: Number(slot.readBigUInt64BE(16 + 2 * STATE)),
      };
    }
    if (!best) return { mark: fresh(), problem: 'tampered' };
    let reports: unknown[] = [];
    let reportsBytes = Buffer.alloc(0);
    if (best.gen > 0) {
      const length = bytes.length >= REPORTS_AT + 4 ? bytes.readUInt32BE(REPORTS_AT) : -1;
      if (length < 0 || length > MAX_REPORTS_BYTES || bytes.length < REPORTS_AT + 4 + length) return { mark: fresh(), problem: 'tampered' };
      reportsBytes = Buffer.from(bytes.subarray(REPORTS_AT, REPORTS_AT + 4 + length));
      try {
        const plain = openSmall(keys.enc, reportsBytes.subarray(4), reportsAad(keys, best.gen));
        const parsed: unknown = JSON.parse(plain.toString('utf8'));
        if (!Array.isArray(parsed)) throw new Error('reports are not a list');
        reports = parsed;
      } catch {
        return { mark: fresh(), problem: 'tampered' };
      }
    }
    const handle = await open(path, O_DSYNC === undefined ? 'r+' : fsConstants.O_RDWR | O_DSYNC);
    return {
      mark: new MarkFile(path, keys, handle, best.counter, best.gen, reportsBytes, { current: best.current, pending: best.pending, reports }),
      problem: null,
    };
  }

  get current(): MarkState | null {
    return this.contents.current;
  }

  get pending(): MarkState | null {
    return this.contents.pending;
  }

  get reports(): readonly unknown[] {
    return this.contents.reports;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Records the store's new state durably (one in-place slot write); clears any pending state. */
  set(current: MarkState, pending: MarkState | null = null): Promise<void> {
    return this.serial(async () => {
      if (!this.handle) {
        await this.rewrite({ ...this.contents, current, pending });
        return;
      }
      const counter = this.counter + 1;
      const slot = this.slot(counter, current, pending, this.reportsGen);
      let done = 0;
      while (done < SLOT) done += (await this.handle.write(slot, done, SLOT - done, (counter % 2) * SLOT + done)).bytesWritten;
      if (O_DSYNC === undefined) await this.handle.datasync();
      this.counter = counter;
      this.contents = { ...this.contents, current, pending };
    });
  }

  /** Replaces the list of unacknowledged reports (and the state), writing the whole file anew. */
  setReports(reports: unknown[], current?: MarkState | null): Promise<void> {
    // The state defaults to the one the queue has reached when this runs, not the one at the call: writes queued
    // before it (a history append's mark follows its record without being awaited) land first.
    return this.serial(() => this.rewrite({ current: current === undefined ? this.contents.current : current, pending: null, reports }));
  }

  /** Resolves once every write queued so far has landed (or failed). */
  async settled(): Promise<void> {
    await this.queue;
  }

  private slot(counter: number, current: MarkState | null, pending: MarkState | null, gen: number): Buffer {
    const slot = Buffer.alloc(SLOT);
    MAGIC.copy(slot, 0);
    slot.writeBigUInt64BE(BigInt(counter), 8);
    encodeState(current).copy(slot, 16);
    encodeState(pending).copy(slot, 16 + STATE);
    slot.writeBigUInt64BE(BigInt(gen), 16 + 2 * STATE);
    slotMac(this.keys, slot.subarray(0, MAC_AT)).copy(slot, MAC_AT);
    return slot;
  }

  private async rewrite(next: MarkContents): Promise<void> {
    const reportsChanged = JSON.stringify(next.reports) !== JSON.stringify(this.contents.reports) || (this.reportsGen === 0 && next.reports.length > 0);
    const gen = reportsChanged ? this.reportsGen + 1 : this.reportsGen;
    let reportsBytes = this.reportsBytes;
    if (reportsChanged) {
      const sealed = sealSmall(this.keys.enc, Buffer.from(JSON.stringify(next.reports), 'utf8'), reportsAad(this.keys, gen));
      reportsBytes = Buffer.concat([Buffer.alloc(4), sealed]);
      reportsBytes.writeUInt32BE(sealed.length, 0);
    }
    const c1 = this.counter + 1;
    const c2 = this.counter + 2;
    const slots = Buffer.alloc(2 * SLOT);
    this.slot(c1, next.current, next.pending, gen).copy(slots, (c1 % 2) * SLOT);
    this.slot(c2, next.current, next.pending, gen).copy(slots, (c2 % 2) * SLOT);
    await this.handle?.close();
    this.handle = null;
    await nodeVaultFs.mkdir(dirname(this.path));
    await writeFileAtomic(nodeVaultFs, this.path, Buffer.concat([slots, reportsBytes]));
    this.handle = await open(this.path, O_DSYNC === undefined ? 'r+' : fsConstants.O_RDWR | O_DSYNC);
    this.counter = c2;
    this.reportsGen = gen;
    this.reportsBytes = reportsBytes;
    this.contents = next;
  }

  async close(): Promise<void> {
    await this.queue;
    const h = this.handle;
    this.handle = null;
    await h?.close();
  }
}

function slotMac(keys: Keys, body: Buffer): Buffer {
  return createHmac('sha256', keys.mac).update(keys.label).update(body).digest();
}

function reportsAad(keys: Keys, gen: number): Buffer {
  return Buffer.concat([MAGIC, keys.label, u64(gen)]);
}

/** A crash during a rewrite can leave the temporary file of writeFileAtomic beside the mark: removed here. */
async function sweepTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(prefix) && name.endsWith('.tmp')) await removeQuietly(nodeVaultFs, join(dirname(path), name));
}
