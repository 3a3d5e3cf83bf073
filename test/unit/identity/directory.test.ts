// The accredited list from platform metadata (G3): only well-formed entries are trusted; a broken document is refused by name.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { findAccredited, loadDirectory } from '../../../electron/core/identity/directory.ts';

let server: Server | undefined;
afterEach(async () => { await new Promise((r) => server ? server.close(r) : r(undefined)); server = undefined; });

async function serve(status: number, body: string): Promise<string> {
  server = createServer((_req, res) => res.writeHead(status, { 'content-type': 'application/json' }).end(body));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const good = { issuer: 'http://127.0.0.1:5001', name_zh: '甲', name_en: 'A', methods: ['moica', 'otp'], subject_types: ['natural'], client_id: 'desktop-a' };

describe('loadDirectory', () => {
  it('keeps well-formed providers and leaves out unknown methods and non-loopback http issuers', async () => {
    const url = await serve(200, JSON.stringify({
      api_base: 'http://127.0.0.1:5000', dataset_scope_prefix: 'ds:',
      identity_providers: [good, { ...good, issuer: 'http://idp.example', name_en: 'plain http' }, { ...good, issuer: 'https://idp.example', methods: ['face-scan'] }, 'junk'],
    }));
    const d = await loadDirectory(url);
    expect(d.providers.map((p) => p.issuer)).toEqual(['http://127.0.0.1:5001']);
    expect(d.clientIds.get('http://127.0.0.1:5001')).toBe('desktop-a');
    expect(d.datasetScopePrefix).toBe('ds:');
    expect(d.audience).toBe('http://127.0.0.1:5000');
    expect(findAccredited(d, 'http://127.0.0.1:5001').name_en).toBe('A');
    expect(() => findAccredited(d, 'http://127.0.0.1:5001/')).toThrow(expect.objectContaining({ code: 'IDENTITY_ISSUER_NOT_ACCREDITED' }));
  });
  it('refuses malformed metadata and reports an unreachable platform', async () => {
    await expect(loadDirectory(await serve(200, '{"identity_providers": 3}'))).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_METADATA_INVALID' });
    await new Promise((r) => server!.close(r)); server = undefined;
    await expect(loadDirectory(await serve(200, 'not json'))).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_METADATA_INVALID' });
    await new Promise((r) => server!.close(r)); server = undefined;
    await expect(loadDirectory(await serve(503, '{}'))).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_UNREACHABLE' });
    await expect(loadDirectory('http://127.0.0.1:9')).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_UNREACHABLE' });
    await expect(loadDirectory('http://platform.example')).rejects.toMatchObject({ code: 'IDENTITY_PLATFORM_METADATA_INVALID' });
  });
});
