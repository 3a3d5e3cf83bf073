// Decodes a dataset file's bytes: UTF-8 with or without BOM, UTF-16 with BOM, or Big5 (as the official website's CSVs may be), never mangled.
import { AppFailure } from '../../contract/errors.ts';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'big5';

export const DatasetErrorCode = {
  ENCODING_UNKNOWN: 'DATASET_ENCODING_UNKNOWN',
  UNREADABLE: 'DATASET_UNREADABLE',
} as const;

export function encodingUnknown(): AppFailure {
  return new AppFailure({
    code: DatasetErrorCode.ENCODING_UNKNOWN,
    message_zh: '這個檔案的文字編碼不是 UTF-8 或 Big5，無法正確顯示，所以不顯示以免出現亂碼。請用「儲存檔案」後以其他程式開啟。',
    message_en: 'This file is neither UTF-8 nor Big5 text, so it is not shown rather than shown garbled. Use "Save file" and open it with another program.',
    retryable: false,
  });
}

/**
 * Detects and decodes. A BOM decides; otherwise strict UTF-8 is tried first (Big5 bytes are almost never valid
 * UTF-8, while any UTF-8 multi-byte text fails a strict Big5 decoder only sometimes), then strict Big5. Both
 * decoders are fatal, so a file that is neither is refused with a named error instead of shown with U+FFFD.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes), encoding: 'utf-8-bom' };
    } catch {
      throw encodingUnknown();
    }
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return strict('utf-16le', bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return strict('utf-16be', bytes, 'utf-16be');
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return strict('big5', bytes, 'big5');
  }
}

function strict(label: string, bytes: Uint8Array, encoding: TextEncodingName): { text: string; encoding: TextEncodingName } {
  try {
    return { text: new TextDecoder(label, { fatal: true }).decode(bytes), encoding };
  } catch {
    throw encodingUnknown();
  }
}
