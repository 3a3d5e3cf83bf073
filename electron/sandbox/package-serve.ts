// The sandbox platform's package download: byte ranges, integrity headers, and the faults tests ask for (cut, stalled).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BuiltPackage } from './package.ts';

/** The faults a test can set on the next download, and the bytes handed to the network so far. */
export interface DownloadFaults {
  dropNextDownloadAfter: number | null;
  stallNextDownloadAfter: number | null;
  packageBytesServed: number;
}

interface SendPackage {
  name: string;
  built: BuiltPackage;
  /** 200, or 403 for a partly failed package. */
  code: number;
  faults: DownloadFaults;
  /** Called once the last byte has been handed over. */
  onComplete: () => void;
}

/** Sends the package, or the Range the request asks for (416 when it cannot be satisfied). */
export function sendPackage(req: IncomingMessage, res: ServerResponse, o: SendPackage): void {
  const size = o.built.bytes.length;
  let start = 0;
  let end = size - 1;
  const range = req.headers.range;
  if (range !== undefined) {
    const m = /^bytes=(\d+)-(\d*)$/.exec(range.trim());
    const s = m ? Number(m[1]) : NaN;
    const e = m?.[2] ? Number(m[2]) : size - 1;
    if (!m || s > e || s >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` });
      res.end();
      return;
    }
    start = s;
    end = Math.min(e, size - 1);
  }
  const digest = Buffer.from(o.built.sha256, 'hex').toString('base64');
  const slice = o.built.bytes.subarray(start, end + 1);
  // A partly failed package is still delivered, under the real platform's 403; the failed datasets' codes are in its outer manifest.
  res.writeHead(range !== undefined ? 206 : o.code, {
    'content-type': 'application/zip',
    'content-length': String(slice.length),
    'content-disposition': `attachment; filename="${o.name}"`,
    'accept-ranges': 'bytes',
    etag: `"${o.built.sha256}"`,
    'repr-digest': `sha-256=:${digest}:`,
    digest: `SHA-256=${digest}`,
    'cache-control': 'no-store',
    ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
  });
  const drop = o.faults.dropNextDownloadAfter;
  if (drop !== null && drop < slice.length) {
    o.faults.dropNextDownloadAfter = null;
    o.faults.packageBytesServed += drop;
    res.write(slice.subarray(0, drop), () => res.destroy());
    return;
  }
  const stall = o.faults.stallNextDownloadAfter;
  if (stall !== null && stall < slice.length) {
    o.faults.stallNextDownloadAfter = null;
    o.faults.packageBytesServed += stall;
    res.write(slice.subarray(0, stall));
    return;
  }
  o.faults.packageBytesServed += slice.length;
  // G1: the ticket is spent only when the last byte has been handed over, so an interrupted download can resume.
  if (end === size - 1) res.once('finish', o.onComplete);
  res.end(slice);
}
