// Checks real sandbox responses against the OpenAPI document the sandbox serves and the repo keeps.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
export const openapi = JSON.parse(readFileSync(new URL('../../../resources/sandbox/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(openapi, 'openapi.json');

export const checked = new Set<string>();

/** Throws unless `body` is exactly what the document promises for this path, method and status. */
export function conform(method: string, path: string, status: number, body: unknown): void {
  const operation = openapi.paths[path]?.[method.toLowerCase()];
  if (!operation) throw new Error(`OpenAPI has no ${method} ${path}`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`OpenAPI has no ${status} for ${method} ${path}`);
  const escaped = path.replaceAll('~', '~0').replaceAll('/', '~1');
  const media = response.content?.['application/json'];
  if (!media) throw new Error(`OpenAPI declares no JSON body for ${status} of ${method} ${path}`);
  const validate = ajv.getSchema(`openapi.json#/paths/${escaped}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`);
  if (!validate) throw new Error('schema not found');
  if (!validate(body)) throw new Error(`${method} ${path} ${status} does not conform: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 600)}`);
  checked.add(`${method} ${path} ${status}`);
}
