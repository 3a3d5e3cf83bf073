// resources/sandbox/openapi.json is generated from the protocol's schemas: the committed copy must be what the schemas say today.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { openApiDocument, openApiText } from '../../../electron/protocol/openapi.ts';
import { CatalogueServiceSchema } from '../../../electron/protocol/catalogue.ts';
import { ConsentBodySchema, TransactionStatusSchema } from '../../../electron/protocol/transactions.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const committed = readFileSync(new URL('../../../resources/sandbox/openapi.json', import.meta.url), 'utf8');

function validator(pointer: string) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(openApiDocument(), 'openapi.json');
  const validate = ajv.getSchema(`openapi.json#${pointer}`);
  if (!validate) throw new Error(`no schema at ${pointer}`);
  return (value: unknown) => validate(value) as boolean;
}

describe('the OpenAPI document', () => {
  it('is up to date with the schemas (run `npm run openapi` after changing one)', () => {
    expect(committed).toBe(openApiText());
  });

  it('says what the schemas say: a status body, a consent with its default left out, a service without datasets', () => {
    const status = validator('/components/schemas/TransactionStatus');
    const body = {
      tx_id: 'abc', status: 429, service_id: 's', delivery: 'self', created_at: '2026-11-27T00:00:00Z', ready_at: '2026-11-27T00:00:01Z',
      expires_at: '2026-11-27T08:00:01+08:00', delivered_at: null, datasets: [{ id: 'API.x', provider: 'p', code: null }], package: null,
    };
    expect(TransactionStatusSchema.safeParse(body).success).toBe(true);
    expect(status(body)).toBe(true);
    for (const wrong of [{ ...body, status: 418 }, { ...body, created_at: '2026-11-27T00:00:00' }, { ...body, extra: 1 }]) {
      expect(status(wrong)).toBe(false);
    }
    // An offset-less instant is refused by both: it would be read in the machine's time zone.
    expect(TransactionStatusSchema.safeParse({ ...body, created_at: '2026-11-27T00:00:00' }).success).toBe(false);

    const consent = validator('/components/schemas/Consent');
    const sent = { service_id: 's', datasets: [{ id: 'API.x', fields: ['a'] }], terms_sha256: 'a'.repeat(64), subject_type: 'natural', delivery: 'self' };
    expect(ConsentBodySchema.safeParse(sent).success).toBe(true);
    expect(consent(sent)).toBe(true);
    expect(consent({ ...sent, decision: 'maybe' })).toBe(false);
    expect(consent({ ...sent, extra: true })).toBe(false);

    const service = validator('/components/schemas/Service');
    const listed = CatalogueServiceSchema.safeParse({});
    expect(listed.success).toBe(false);
    expect(service({})).toBe(false);
  });
});
