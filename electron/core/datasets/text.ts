// The one text decoder for dataset files (importer, reader, readable views): UTF-8 with or without BOM, UTF-16 with BOM, or Big5, detected, never mangled.
import { isAscii, isUtf8 } from 'node:buffer';
import { AppFailure } from '../../contract/errors.ts';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'big5';

export const DatasetErrorCode = {
  ENCODING_UNKNOWN: 'DATASET_ENCODING_UNKNOWN',
  UNREADABLE: 'DATASET_UNREADABLE',
} as const;

export function encodingUnknown(): AppFailure {
  return new AppFailure({
    code: DatasetErrorCode.ENCODING_UNKNOWN,
    message_zh: '這個檔案的文字編碼不是 UTF-8、UTF-16 或 Big5，無法正確顯示，所以不顯示以免出現亂碼。請用「儲存檔案」後以其他程式開啟。',
    message_en: 'This file is not UTF-8, UTF-16 or Big5 text, so it is not shown rather than shown garbled. Use "Save file" and open it with another program.',
    retryable: false,
  });
}

const LABEL: Record<TextEncodingName, string> = { 'utf-8': 'utf-8', 'utf-8-bom': 'utf-8', 'utf-16le': 'utf-16le', 'utf-16be': 'utf-16be', big5: 'big5' };

function bomOf(head: Uint8Array): 'utf-8-bom' | 'utf-16le' | 'utf-16be' | null {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8-bom';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  return null;
}

/**
 * Streaming detection, so the importer can probe while it hashes and stores in one pass. A byte-order mark decides
 * (UTF-8 or UTF-16, and the text must then be valid in it); otherwise strict UTF-8 and strict Big5 run side by side
 * and UTF-8 wins when both survive (Big5 bytes are almost never valid UTF-8, while UTF-8 text fails a strict Big5
 * decoder only sometimes). Both checks are strict, so a file that is neither gives null instead of U+FFFD.
 * Without a BOM, UTF-8 is checked natively (isUtf8), holding back a character cut by a chunk boundary, and Big5 is
 * decoded only where it could fail: a chunk of ASCII is valid Big5 after its first byte (which may complete a lead
 * byte left by the chunk before). Decoding every chunk twice was most of an import's time outside decryption.
 */
export class EncodingProbe {
  /** The first bytes, held until three are seen (a chunk may be shorter than a BOM). */
  #head: Uint8Array = new Uint8Array(0);
  #decided = false;
  #bom: 'utf-8-bom' | 'utf-16le' | 'utf-16be' | null = null;
  /** With a BOM: the one decoder the text must be valid in. */
  #strict: TextDecoder | null = null;
  /** Without a BOM: UTF-8 still possible, the start of a character continued in the next chunk, and Big5's decoder. */
  #utf8 = true;
  #carry: Uint8Array = new Uint8Array(0);
  #big5: TextDecoder | null = null;

  update(chunk: Uint8Array): void {
    if (!this.#decided) {
      const joined = new Uint8Array(this.#head.length + chunk.length);
      joined.set(this.#head);
      joined.set(chunk, this.#head.length);
      this.#head = joined;
      if (joined.length < 3) return;
      this.#decide();
      chunk = joined;
    }
    this.#feed(chunk);
  }

  #decide(): void {
    this.#decided = true;
    this.#bom = bomOf(this.#head);
    // ignoreBOM keeps the mark in the (discarded) output: this pass only validates.
    if (this.#bom !== null) this.#strict = new TextDecoder(LABEL[this.#bom], { fatal: true, ignoreBOM: true });
    else this.#big5 = new TextDecoder('big5', { fatal: true });
    this.#head = new Uint8Array(0);
  }

  #feed(chunk: Uint8Array | null): void {
    if (this.#bom !== null) {
      this.#strict = attempt(this.#strict, chunk);
      return;
    }
    if (chunk === null) {
      // A character cut off at the very end is not UTF-8.
      if (this.#carry.length > 0) this.#utf8 = false;
      this.#big5 = attempt(this.#big5, null);
      return;
    }
    if (this.#utf8) this.#utf8 = this.#utf8Chunk(chunk);
    this.#big5 = attempt(this.#big5, isAscii(chunk) ? chunk.subarray(0, 1) : chunk);
  }

  #utf8Chunk(chunk: Uint8Array): boolean {
    const bytes = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    let cut = bytes.length;
    for (let back = 1; back <= Math.min(3, bytes.length); back++) {
      const b = bytes[bytes.length - back] ?? 0;
      if ((b & 0xc0) === 0x80) continue;
      // A lead byte whose sequence is longer than what follows it: its rest is in the next chunk (or missing).
      if (b >= 0xc0 && (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) > back) cut = bytes.length - back;
      break;
    }
    // Copied: callers may reuse the chunk's memory.
    this.#carry = Uint8Array.from(bytes.subarray(cut));
    return isUtf8(bytes.subarray(0, cut));
  }

  /** The encoding the whole text is valid in, or null when it is none of them. */
  result(): TextEncodingName | null {
    if (!this.#decided) {
      const rest = this.#head;
      this.#decide();
      this.#feed(rest);
    }
    this.#feed(null);
    if (this.#bom !== null) return this.#strict !== null ? this.#bom : null;
    if (this.#utf8) return 'utf-8';
    return this.#big5 !== null ? 'big5' : null;
  }
}

/** Feeds a strict decoder (null flushes it); null once the text is invalid in it. */
function attempt(decoder: TextDecoder | null, chunk: Uint8Array | null): TextDecoder | null {
  if (decoder === null) return null;
  try {
    if (chunk === null) decoder.decode();
    else decoder.decode(chunk, { stream: true });
    return decoder;
  } catch {
    return null;
  }
}

/** Detects the encoding of CSV or JSON bytes held in memory; null when they are no text the app reads. */
export function detectTextEncoding(bytes: Uint8Array | readonly Uint8Array[]): TextEncodingName | null {
  const probe = new EncodingProbe();
  for (const chunk of bytes instanceof Uint8Array ? [bytes] : bytes) probe.update(chunk);
  return probe.result();
}

/** Decodes with the encoding detected before (a BOM is dropped; Big5 decoded, never guessed as Latin-1). */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName): string {
  return new TextDecoder(LABEL[encoding], { fatal: true, ignoreBOM: false }).decode(bytes);
}

/** Detects and decodes in one step; DATASET_ENCODING_UNKNOWN when the bytes are no text the app reads. */
export function readText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  const encoding = detectTextEncoding(bytes);
  if (encoding === null) throw encodingUnknown();
  return { text: decodeText(bytes, encoding), encoding };
}
