// The official profile's trust material, shipped in resources/trust: GRCA G3 as the only anchor, the GCA intermediates found in public sources, and the signer bindings of real datasets (G4, G9).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetRegistry } from '../datasets/registry.ts';
import { resourcePath } from '../resources.ts';
import { bindingsFromJson, type DatasetBinding } from './signers.ts';

/** The DER SHA-256 of GRCA G3 as GRCA publishes it; a different file in its place is never used as an anchor. */
export const GRCA_G3_SHA256 = '57df6f20e04c588e85f35be8832f5d4e78958336ae3b18fb7c9bae0dfead4044';

export interface TrustMaterial {
  /** PEM texts. */
  anchors: string[];
  /** PEM texts; used only to build a path to an anchor. */
  intermediates: string[];
  signers: Map<string, DatasetBinding>;
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}-----END CERTIFICATE-----\n`;
}

/**
 * The shipped bindings list signer identities only; the names of each dataset and its provider are the registry's, so
 * the two files cannot disagree. An id the registry does not know is a broken build, refused like a wrong anchor.
 */
function namedByRegistry(bindings: Map<string, DatasetBinding>): Map<string, DatasetBinding> {
  const registry = datasetRegistry();
  const named = new Map<string, DatasetBinding>();
  for (const [id, binding] of bindings) {
    const entry = registry.get(id);
    if (entry === null) throw new Error(`resources/trust/official-signers.json lists ${id}, which the dataset registry does not know`);
    named.set(id, { dataset: { zh: entry.name_zh, en: entry.name_en }, provider: entry.provider, signers: binding.signers });
  }
  return named;
}

let cached: TrustMaterial | null = null;

/** Reads resources/trust once. Throws when the shipped GRCA G3 is not the one whose hash this code knows. */
export function officialTrust(dir = resourcePath('trust')): TrustMaterial {
  if (cached !== null && dir === resourcePath('trust')) return cached;
  const grca = readFileSync(join(dir, 'grca-g3.cer'));
  const digest = createHash('sha256').update(grca).digest('hex');
  if (digest !== GRCA_G3_SHA256) throw new Error(`resources/trust/grca-g3.cer is not GRCA G3 (sha256 ${digest})`);
  const intermediatesDir = join(dir, 'intermediates');
  const intermediates = existsSync(intermediatesDir)
    ? readdirSync(intermediatesDir).filter((f) => /\.cer$/i.test(f)).sort().map((f) => derToPem(readFileSync(join(intermediatesDir, f))))
    : [];
  const signers = namedByRegistry(bindingsFromJson(JSON.parse(readFileSync(join(dir, 'official-signers.json'), 'utf8'))));
  const material = { anchors: [derToPem(grca)], intermediates, signers };
  if (dir === resourcePath('trust')) cached = material;
  return material;
}
