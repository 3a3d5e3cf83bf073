// Public surface of the history (G14): the log, its exports and verification, the PDF report and PDPA letters.
export { HistoryLog, LOG_FILE, MIN_RETENTION_YEARS, type HistoryLogOptions, type OpenReport, type BrokenAt } from './log.ts';
export { HistoryErrorCode, historyFailure } from './errors.ts';
export { GENESIS, canonicalJson, entryHash } from './chain.ts';
export { exportCsv, verifyCsvExport, EXPORT_COLUMNS, EXPORT_FORMAT, type ExportSource, type ExportVerification } from './export.ts';
export { parseCsv, csvRow, BOM } from './csv.ts';
export { buildHistoryReportPdf, recipientName, type ReportOptions } from './report-pdf.ts';
export { buildPdpaLetterPdf, transmissionsFor, ANSWER_DAYS, type PdpaLetterOptions } from './pdpa-letter.ts';
export { recipientKey } from './query.ts';
export type { Checkpoint } from './format.ts';
