// Who may sign which dataset (G4, G9): a dataset's provider and the signer identities that provider uses, and matching a signing certificate against them.
import { createHash, type X509Certificate } from 'node:crypto';
import { z } from 'zod';
import { SignerIdentitySchema, type CatalogueService, type SignerIdentity } from '../../contract/platform.ts';
import { policyLib } from './certificate.ts';

export { SignerIdentitySchema, type SignerIdentity };

export interface Bilingual {
  zh: string;
  en: string;
}

/** What the catalogue says of one dataset: its name, its provider, and the identities that may sign its parts. */
export interface DatasetBinding {
  dataset: Bilingual | null;
  provider: Bilingual | null;
  /** Empty: no signer is known for this dataset, so no part of it can be verified (kept only as "not verified"). */
  signers: readonly SignerIdentity[];
}

/** resource_id → binding. A dataset missing from the map has no binding at all. */
export type SignerBindings = ReadonlyMap<string, DatasetBinding>;

/** `--signers` JSON and the shipped binding file: resource_id → identities, or → { provider, dataset, signers }. */
export const SignerBindingsFileSchema = z.record(
  z.string().min(1),
  z.union([
    z.array(SignerIdentitySchema),
    z.object({
      dataset: z.object({ zh: z.string(), en: z.string() }).nullable().optional(),
      provider: z.object({ zh: z.string(), en: z.string() }).nullable().optional(),
      signers: z.array(SignerIdentitySchema),
    }),
  ]),
);

/** Parses a bindings file (members starting with `$` are comments). Throws a ZodError on anything else. */
export function bindingsFromJson(value: unknown): Map<string, DatasetBinding> {
  const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => !k.startsWith('$'))) : value;
  const parsed = SignerBindingsFileSchema.parse(body);
  const out = new Map<string, DatasetBinding>();
  for (const [id, entry] of Object.entries(parsed)) {
    out.set(id, Array.isArray(entry) ? { dataset: null, provider: null, signers: entry } : { dataset: entry.dataset ?? null, provider: entry.provider ?? null, signers: entry.signers });
  }
  return out;
}

/** The bindings a platform's catalogue states: each dataset of each service, with its provider's signer identities. */
export function catalogueBindings(services: readonly CatalogueService[]): Map<string, DatasetBinding> {
  const out = new Map<string, DatasetBinding>();
  for (const service of services) {
    for (const d of service.datasets) {
      if (out.has(d.id)) continue;
      out.set(d.id, {
        dataset: { zh: d.name_zh, en: d.name_en },
        provider: { zh: d.provider.name_zh, en: d.provider.name_en },
        signers: d.provider.signers ?? [],
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Distinguished names

/** Attribute types by the names RFC 4514 and common tools use, to their OIDs (compared by OID). */
const ATTRIBUTE_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  I: '2.5.4.43',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
  E: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
};

function oidOf(type: string): string {
  const t = type.trim();
  if (/^\d+(\.\d+)+$/.test(t)) return t;
  return ATTRIBUTE_OIDS[t.toUpperCase()] ?? t.toUpperCase();
}

/** One RDN as sorted "oid=value" pairs (multi-valued RDNs are sets). */
type Rdn = string[];

/** Parses an RFC 4514 string (escapes `\,` and `\HH` hex UTF-8) into RDNs in the string's order. Throws on bad syntax. */
export function parseRfc4514(dn: string): Rdn[] {
  const rdns: Rdn[] = [];
  let current: Rdn = [];
  let type = '';
  let bytes: number[] = [];
  let inValue = false;
  const encoder = new TextEncoder();
  const flush = () => {
    if (!inValue || type.trim() === '') throw new Error(`"${dn}" is not an RFC 4514 distinguished name`);
    const value = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
    current.push(`${oidOf(type)}=${value.trim()}`);
    type = '';
    bytes = [];
    inValue = false;
  };
  for (let i = 0; i < dn.length; i += 1) {
    const ch = dn.charAt(i);
    if (!inValue) {
      if (ch === '=') inValue = true;
      else type += ch;
      continue;
    }
    if (ch === '\\') {
      const hex = dn.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else {
        const next = dn.codePointAt(i + 1);
        if (next === undefined) throw new Error(`"${dn}" ends with a lone backslash`);
        const char = String.fromCodePoint(next);
        bytes.push(...encoder.encode(char));
        i += char.length;
      }
    } else if (ch === ',' || ch === '+') {
      flush();
      if (ch === ',') {
        rdns.push(current.sort());
        current = [];
      }
    } else {
      const point = dn.codePointAt(i) ?? 0;
      const char = String.fromCodePoint(point);
      bytes.push(...encoder.encode(char));
      i += char.length - 1;
    }
  }
  flush();
  rdns.push(current.sort());
  return rdns;
}

/** The certificate subject's RDNs in RFC 4514 order (most specific first, the reverse of the DER order). */
function subjectRdns(cert: X509Certificate): Rdn[] {
  const name = new (policyLib().X509Certificate)(new Uint8Array(cert.raw)).subjectName.toJSON();
  return name.map((rdn) => Object.entries(rdn).flatMap(([type, values]) => values.map((v) => `${oidOf(type)}=${v.trim()}`)).sort()).reverse();
}

/** The subject as an RFC 4514 string, the form a `DN=` identity is written in. */
export function rfc4514Subject(cert: X509Certificate): string {
  const escape = (v: string) => v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
  const names = Object.fromEntries(Object.entries(ATTRIBUTE_OIDS).reverse().map(([k, v]) => [v, k]));
  return subjectRdns(cert)
    .map((rdn) => rdn.map((pair) => {
      const at = pair.indexOf('=');
      const oid = pair.slice(0, at);
      const short = names[oid] === 'SERIALNUMBER' ? 'serialNumber' : names[oid];
      return `${short ?? oid}=${escape(pair.slice(at + 1))}`;
    }).join('+'))
    .join(',');
}

export function certificateSha256(cert: X509Certificate): string {
  return createHash('sha256').update(cert.raw).digest('hex');
}

/** Whether `cert` is the signer `identity` names (call loadCertificatePolicy() first). A malformed identity matches nothing. */
export function signerMatches(cert: X509Certificate, identity: SignerIdentity): boolean {
  if (identity.startsWith('sha256:')) return identity.slice(7).toLowerCase() === certificateSha256(cert);
  const subject = subjectRdns(cert);
  if (identity.startsWith('O=')) {
    const orgs = subject.flat().filter((pair) => pair.startsWith(`${ATTRIBUTE_OIDS.O}=`));
    return orgs.length === 1 && orgs[0] === `${ATTRIBUTE_OIDS.O}=${identity.slice(2)}`;
  }
  if (identity.startsWith('DN=')) {
    let wanted: Rdn[];
    try {
      wanted = parseRfc4514(identity.slice(3));
    } catch {
      return false;
    }
    return wanted.length === subject.length && wanted.every((rdn, i) => JSON.stringify(rdn) === JSON.stringify(subject[i]));
  }
  return false;
}
