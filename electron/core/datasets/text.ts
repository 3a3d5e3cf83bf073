// The one text decoder for dataset files (importer, reader, readable views): UTF-8 with or without BOM, UTF-16 with BOM, or Big5, detected, never mangled.
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
 * decoder only sometimes). Both decoders are fatal, so a file that is neither gives null instead of U+FFFD.
 */
export class EncodingProbe {
  /** The first bytes, held until three are seen (a chunk may be shorter than a BOM). */
  #head: Uint8Array = new Uint8Array(0);
  #decided = false;
  #bom: 'utf-8-bom' | 'utf-16le' | 'utf-16be' | null = null;
  #candidates: [TextEncodingName, TextDecoder | null][] = [];

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
    const names: TextEncodingName[] = this.#bom === null ? ['utf-8', 'big5'] : [this.#bom];
    // ignoreBOM keeps the mark in the (discarded) output: this pass only validates.
    this.#candidates = names.map((n) => [n, new TextDecoder(LABEL[n], { fatal: true, ignoreBOM: true })]);
    this.#head = new Uint8Array(0);
  }

  #feed(chunk: Uint8Array | null): void {
    for (const c of this.#candidates) {
      if (c[1] === null) continue;
      try {
        if (chunk === null) c[1].decode();
        else c[1].decode(chunk, { stream: true });
      } catch {
        c[1] = null;
      }
    }
  }

  /** The encoding the whole text is valid in, or null when it is none of them. */
  result(): TextEncodingName | null {
    if (!this.#decided) {
      const rest = this.#head;
      this.#decide();
      this.#feed(rest);
    }
    this.#feed(null);
    return this.#candidates.find((c) => c[1] !== null)?.[0] ?? null;
  }
}

/** Detects the encoding of CSV or JSON bytes held in memory; null when they are no text the app reads. */
export function detectTextEncoding(bytes: Uint8Array): TextEncodingName | null {
  const probe = new EncodingProbe();
  probe.update(bytes);
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
