// RFC 4180 CSV: writing the history export (UTF-8 with BOM, CRLF, so Excel opens Chinese right) and reading it back.

export const BOM = '\uFEFF';

/** Quotes a field when it holds a comma, a quote, CR or LF (RFC 4180 §2.6–2.7). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',');
}

/**
 * Text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is shown with a leading apostrophe,
 * so a provider's name can never become a formula in the person's Excel (OWASP CSV injection).
 */
export function spreadsheetSafe(text: string): string {
  // The first character's code, not a regular expression: the export asks this of 2.4 million cells.
  const c = text.charCodeAt(0);
  return c === 0x3d || c === 0x2b || c === 0x2d || c === 0x40 || c === 0x09 || c === 0x0d ? `'${text}` : text;
}

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts (quoted fields may span lines). */
  line: number;
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(message: string, line: number) {
    super(`${message} (line ${line})`);
    this.name = 'CsvSyntaxError';
    this.line = line;
  }
}

/** Parses RFC 4180 text (CRLF or LF line ends; a leading BOM is ignored). Strict about quotes. */
export function parseCsv(text: string): CsvRecord[] {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = 0;
  let quoted = false;
  let afterQuote = false;
  const endRecord = () => {
    fields.push(field);
    out.push({ fields, line: start });
    fields = [];
    field = '';
    afterQuote = false;
  };
  while (i < s.length) {
    const c = s.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        afterQuote = true;
        i++;
        continue;
      }
      if (c === '\n') line++;
      field += c;
      i++;
      continue;
    }
    if (c === ',') {
      fields.push(field);
      field = '';
      afterQuote = false;
      i++;
    } else if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && s[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
    } else if (c === '"') {
      if (field !== '' || afterQuote) throw new CsvSyntaxError('quote inside an unquoted field', line);
      quoted = true;
      i++;
    } else {
      if (afterQuote) throw new CsvSyntaxError('text after a closing quote', line);
      field += c;
      i++;
    }
  }
  if (quoted) throw new CsvSyntaxError('unterminated quoted field', line);
  if (field !== '' || fields.length > 0 || afterQuote) endRecord();
  return out;
}
