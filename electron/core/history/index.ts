// Public surface of the history (G14): the log, its exports and verification, the PDF report and PDPA letters.
export { HistoryLog, LOG_FILE, MIN_RETENTION_YEARS } from './log.ts';
export { exportCsv, verifyCsvExport } from './export.ts';
export { buildHistoryReportPdf } from './report-pdf.ts';
export { buildPdpaLetterPdf, transmissionsFor } from './pdpa-letter.ts';
