// What a service provider received, read from the package bytes the sandbox delivered: each provider part's JSON files.
import { Uint8ArrayReader, Uint8ArrayWriter, ZipReader } from '@zip.js/zip.js';

/**
 * Dataset id → the data keys its JSON file carries, sorted. Throws when a file's declared fields are not exactly its
 * data keys (the sandbox writes both; a mismatch would make the comparison meaningless).
 */
export async function deliveredFields(bytes: Uint8Array): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const outer = new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false });
  for (const entry of await outer.getEntries()) {
    if (!entry.filename.endsWith('.zip') || entry.directory) continue;
    const inner = new ZipReader(new Uint8ArrayReader(await entry.getData(new Uint8ArrayWriter())), { useWebWorkers: false });
    for (const file of await inner.getEntries()) {
      if (!file.filename.endsWith('.json') || file.directory) continue;
      const json = JSON.parse(new TextDecoder().decode(await file.getData(new Uint8ArrayWriter()))) as { dataset: { id: string }; data: Record<string, unknown>; fields: { name: string }[] };
      const keys = Object.keys(json.data).sort();
      const declared = json.fields.map((f) => f.name).sort();
      if (declared.join() !== keys.join()) throw new Error(`${json.dataset.id}: fields ${declared.join()} but data ${keys.join()}`);
      out[json.dataset.id] = keys;
    }
    await inner.close();
  }
  await outer.close();
  return out;
}
