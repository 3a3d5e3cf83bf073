// Writes a synthetic MyData package of a given size to disk for the pipeline bench: one signed provider part, stored
// entries, streamed to the file (never whole in memory); CRC-32 and SHA-256 computed natively on the way.
import { createHash, randomBytes, sign } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { makeCa, makeSigner } from '../../unit/package/fixtures.ts';

const BLOCK = 1024 * 1024;

interface Entry {
  name: string;
  size: number;
  crc: number;
  offset: number;
}

/** A minimal stored-only zip writer (sizes and CRC known before each entry is written). */
class StoredZip {
  readonly #out: FileHandle;
  readonly #entries: Entry[] = [];
  #at = 0;
  constructor(out: FileHandle) {
    this.#out = out;
  }
  async #write(bytes: Uint8Array): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.#out.write(bytes, done, bytes.length - done, this.#at + done);
      done += bytesWritten;
    }
    this.#at += bytes.length;
  }
  /** `chunks` must produce exactly `size` bytes whose CRC-32 is `crc`. */
  async add(name: string, size: number, crc: number, chunks: () => AsyncIterable<Uint8Array>): Promise<void> {
    const nameBytes = Buffer.from(name, 'utf8');
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(0x0800, 6);
    header.writeUInt16LE(0, 8);
    header.writeUInt32LE(crc >>> 0, 14);
    header.writeUInt32LE(size, 18);
    header.writeUInt32LE(size, 22);
    header.writeUInt16LE(nameBytes.length, 26);
    this.#entries.push({ name, size, crc, offset: this.#at });
    await this.#write(Buffer.concat([header, nameBytes]));
    for await (const chunk of chunks()) await this.#write(chunk);
  }
  async close(): Promise<void> {
    const start = this.#at;
    for (const e of this.#entries) {
      const nameBytes = Buffer.from(e.name, 'utf8');
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(0x0800, 8);
      central.writeUInt32LE(e.crc >>> 0, 16);
      central.writeUInt32LE(e.size, 20);
      central.writeUInt32LE(e.size, 24);
      central.writeUInt16LE(nameBytes.length, 28);
      central.writeUInt32LE(e.offset, 42);
      await this.#write(Buffer.concat([central, nameBytes]));
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.#entries.length, 8);
    end.writeUInt16LE(this.#entries.length, 10);
    end.writeUInt32LE(this.#at - start, 12);
    end.writeUInt32LE(start, 16);
    await this.#write(end);
  }
}

async function* synthetic(size: number, seed: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0, i = 0; at < size; at += BLOCK, i++) {
    const block = Buffer.from(seed.subarray(0, Math.min(BLOCK, size - at)));
    // Every block differs, so nothing downstream can shortcut repeated content.
    block.writeUInt32LE(i, 0);
    yield block;
  }
}

async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  for await (const chunk of createReadStream(path, { highWaterMark: BLOCK })) yield chunk as Buffer;
}

async function crcOfFile(path: string): Promise<number> {
  let crc = 0;
  for await (const chunk of fileChunks(path)) crc = crc32(chunk, crc);
  return crc;
}

export interface BuiltBenchPackage {
  path: string;
  size: number;
  sha256: string;
  caPem: string;
}

/** Builds `<dir>/part.zip` then `<dir>/package.zip` holding `dataBytes` of synthetic data in one signed part. */
export async function buildBenchPackage(dir: string, dataBytes: number): Promise<BuiltBenchPackage> {
  const ca = await makeCa('Bench Root CA');
  const signer = await makeSigner(ca, 'Bench Provider');
  const seed = randomBytes(BLOCK);
  let crc = 0;
  const hash = createHash('sha256');
  for await (const chunk of synthetic(dataBytes, seed)) {
    crc = crc32(chunk, crc);
    hash.update(chunk);
  }
  const manifest = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file><filename>data.bin</filename><digest>${hash.digest('hex')}</digest></file>\n</files>\n`);
  const signature = sign('sha256', manifest, signer.key);
  const small = (bytes: Uint8Array) => async function* () {
    yield bytes;
  };

  const partPath = `${dir}/BENCH.P01.zip`;
  const part = await open(partPath, 'w');
  const partZip = new StoredZip(part);
  await partZip.add('data.bin', dataBytes, crc, () => synthetic(dataBytes, seed));
  await partZip.add('META-INFO/manifest.xml', manifest.length, crc32(manifest), small(manifest));
  await partZip.add('META-INFO/manifest.sha256withrsa', signature.length, crc32(signature), small(signature));
  await partZip.add('META-INFO/certificate.cer', signer.der.length, crc32(signer.der), small(signer.der));
  await partZip.close();
  await part.close();

  const outer = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<files>\n  <file><filename>BENCH.P01.zip</filename><resource_id>BENCH.P01</resource_id><resource_name>Bench</resource_name><code>200</code></file>\n</files>\n');
  const partSize = (await stat(partPath)).size;
  const path = `${dir}/package.zip`;
  const out = await open(path, 'w');
  const outerZip = new StoredZip(out);
  await outerZip.add('META-INFO/manifest.xml', outer.length, crc32(outer), small(outer));
  await outerZip.add('BENCH.P01.zip', partSize, await crcOfFile(partPath), () => fileChunks(partPath));
  await outerZip.close();
  await out.close();

  const whole = createHash('sha256');
  for await (const chunk of fileChunks(path)) whole.update(chunk);
  const size = (await stat(path)).size;
  return { path, size, sha256: whole.digest('hex'), caPem: ca.pem };
}
