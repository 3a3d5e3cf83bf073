// SHA-256 as lower-case hex through WebCrypto, which core, the sandbox and the renderer all have (bulk streams keep Node's hash).

/** The hex SHA-256 of a UTF-8 string or of bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  let hex = '';
  for (const b of new Uint8Array(digest)) hex += b.toString(16).padStart(2, '0');
  return hex;
}
