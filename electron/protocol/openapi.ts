// The OpenAPI 3.1 document of the platform API, built from the protocol's zod schemas (`npm run openapi` writes it to resources/sandbox/openapi.json).
import { z } from 'zod';
import {
  CatalogueServiceSchema, InstantSchema, JwksSchema, NoticeSchema, NoticeTextSchema, OrganizationCategorySchema, OrganizationSchema,
  PlatformAssuranceLevelSchema, PlatformIdentityProviderSchema, PlatformMetadataSchema, PlatformSubjectTypeSchema, ServiceDatasetSchema,
  ServiceFieldSchema, ServiceStatusSchema, TermsSchema,
} from './catalogue.ts';
import { PlatformErrorSchema } from './errors.ts';
import { RequestRegisteredSchema, RequestRegistrationSchema, RequestViewSchema, ServiceProviderViewSchema } from './requests.ts';
import { ConsentBodySchema, DatasetStatusSchema, DeliverySchema, ProviderLogRecordSchema, TransactionCreatedSchema, TransactionStatusSchema } from './transactions.ts';

type Json = Record<string, unknown>;

/** Named schemas, in the order the document lists them; every message of the API refers to these by name. */
const responseComponents: [string, z.ZodType][] = [
  ['Error', PlatformErrorSchema],
  ['Instant', InstantSchema],
  ['SubjectType', PlatformSubjectTypeSchema],
  ['ServiceStatus', ServiceStatusSchema],
  ['OrganizationCategory', OrganizationCategorySchema],
  ['Delivery', DeliverySchema],
  ['Organization', OrganizationSchema],
  ['ServiceField', ServiceFieldSchema],
  ['ServiceDataset', ServiceDatasetSchema],
  ['Terms', TermsSchema],
  ['Service', CatalogueServiceSchema],
  ['NoticeText', NoticeTextSchema],
  ['Notice', NoticeSchema],
  ['IdentityProvider', PlatformIdentityProviderSchema],
  ['AssuranceLevel', PlatformAssuranceLevelSchema],
  ['Metadata', PlatformMetadataSchema],
  ['Jwks', JwksSchema],
  ['TransactionCreated', TransactionCreatedSchema],
  ['DatasetStatus', DatasetStatusSchema],
  ['TransactionStatus', TransactionStatusSchema],
  ['RequestRegistered', RequestRegisteredSchema],
  ['ServiceProviderView', ServiceProviderViewSchema],
  ['RequestView', RequestViewSchema],
  ['ProviderLogRecord', ProviderLogRecordSchema],
];
/** Request bodies are described as a client may send them (defaults optional), the rest as the platform answers. */
const requestComponents: [string, z.ZodType][] = [
  ['Consent', ConsentBodySchema],
  ['RequestRegistration', RequestRegistrationSchema],
];

function componentSchemas(io: 'input' | 'output', wanted: readonly [string, z.ZodType][]): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of [...responseComponents, ...requestComponents]) registry.add(schema, { id });
  const converted = z.toJSONSchema(registry, { io, target: 'draft-2020-12', unrepresentable: 'throw', uri: (id) => `#/components/schemas/${id}` }).schemas;
  const out: Json = {};
  for (const [id] of wanted) {
    const { $schema: _schema, $id: _id, ...rest } = converted[id] as Json;
    out[id] = rest;
  }
  return out;
}

const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Json): Json => ({ 'application/json': { schema } });
const error = (description: string): Json => ({ description, content: json(ref('Error')) });
const binary = { 'application/zip': { schema: { type: 'string', format: 'binary' } } };
const pathParam = (name: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const UNAUTHORIZED = error('Missing, invalid, expired, wrongly bound or replayed token / DPoP proof');

const packageHeaders = {
  'Content-Length': { schema: { type: 'integer' } },
  'Repr-Digest': { schema: { type: 'string' }, description: 'sha-256 of the whole package (RFC 9530)' },
  Digest: { schema: { type: 'string' }, description: 'legacy RFC 3230 form of the same digest' },
  ETag: { schema: { type: 'string' } },
  'Accept-Ranges': { schema: { type: 'string' } },
};

/** The answers every status read shares, package or not (the real platform's codes, ARCHITECTURE §5). */
const statusAnswers = {
  '201': { description: 'Already delivered (one-time download, G1)', content: json(ref('TransactionStatus')) },
  '205': { description: 'The subject refused (no body, as RFC 9110 requires for 205)' },
  '404': error("Unknown transaction (or another subject's)"),
  '410': { description: 'Expired: packages live 8 hours after they are ready', content: json(ref('TransactionStatus')) },
  '429': { description: 'Preparing; retry after Retry-After seconds', content: json(ref('TransactionStatus')), headers: { 'Retry-After': { schema: { type: 'integer' } } } },
  '401': UNAUTHORIZED,
  '504': { description: 'Every data provider failed', content: json(ref('TransactionStatus')) },
};

const packageAnswers = {
  '200': { description: 'The package (real MyData layout). Delivery completes, and the ticket is spent, when the last byte has been sent.', headers: packageHeaders, content: binary },
  ...statusAnswers,
  '403': {
    description: 'Some datasets failed: the package is still served (zip), their codes are in its outer manifest; or the transaction delivers to a service provider (Error)',
    content: { ...binary, ...json(ref('Error')) },
  },
  '206': { description: 'A byte range of the package (resume with Range: bytes=N-)', headers: packageHeaders, content: binary },
  '416': { description: 'Range not satisfiable' },
};

function paths(): Json {
  return {
    '/.well-known/mydata-platform': { get: { summary: 'Platform metadata', operationId: 'getMetadata', responses: { '200': { description: 'Metadata', content: json(ref('Metadata')) } } } },
    '/openapi.json': { get: { summary: 'This document', operationId: 'getOpenApi', responses: { '200': { description: 'OpenAPI 3.1', content: json({ type: 'object' }) } } } },
    '/jwks': { get: { summary: "The platform's signing keys (permission tickets)", operationId: 'getJwks', responses: { '200': { description: 'JWK set', content: json(ref('Jwks')) } } } },
    '/organizations': { get: { summary: 'Organisation registry (G6)', operationId: 'listOrganizations', responses: { '200': { description: 'All organisations', content: json({ type: 'array', items: ref('Organization') }) } } } },
    '/services': { get: { summary: 'Service catalogue (G7, G10, G11)', operationId: 'listServices', responses: { '200': { description: 'All services', content: json({ type: 'array', items: ref('Service') }) } } } },
    '/services/{id}': {
      get: { summary: 'One service', operationId: 'getService', parameters: [pathParam('id')], responses: { '200': { description: 'The service', content: json(ref('Service')) }, '404': error('Unknown service') } },
    },
    '/notices': { get: { summary: 'Announcements (G13)', operationId: 'listNotices', responses: { '200': { description: 'All notices', content: json({ type: 'array', items: ref('Notice') }) } } } },
    '/transactions': {
      post: {
        summary: 'Consent (or refusal) to a service',
        operationId: 'createTransaction',
        security: [{ dpop: [] }],
        requestBody: { required: true, content: json(ref('Consent')) },
        responses: {
          '201': { description: "Created; status is the transaction's current code", content: json(ref('TransactionCreated')), headers: { Location: { schema: { type: 'string' } } } },
          '400': error('Malformed JSON, invalid consent, missing required field, unknown dataset or field, wrong delivery'),
          '401': UNAUTHORIZED,
          '403': error("A dataset needs a stronger verification level (INSUFFICIENT_LEVEL, with dataset and level_required), is not in the token's scope, or needs another subject type"),
          '404': error('Unknown service or request'),
          '409': error('Service suspended or terminated, terms changed, request already used'),
          '410': error('Request expired'),
          '415': error('Not JSON'),
        },
      },
    },
    '/transactions/{tx_id}': {
      get: {
        summary: "Transaction status, with the real platform's codes",
        operationId: 'getTransaction',
        security: [{ dpop: [] }],
        parameters: [pathParam('tx_id')],
        responses: {
          '200': { description: 'Ready; every dataset delivered by its provider', content: json(ref('TransactionStatus')) },
          ...statusAnswers,
          '403': {
            description: 'Some datasets failed (per-dataset codes), or a dataset needs a stronger level / another subject type (Error)',
            content: json({ oneOf: [ref('TransactionStatus'), ref('Error')] }),
          },
        },
      },
    },
    '/transactions/{tx_id}/package': {
      get: {
        summary: 'One-time download of a self-download package (G1)',
        operationId: 'getPackage',
        security: [{ dpop: [] }],
        parameters: [pathParam('tx_id'), { name: 'Range', in: 'header', required: false, schema: { type: 'string', pattern: '^bytes=\\d+-\\d*$' } }],
        responses: packageAnswers,
      },
    },
    '/sp/requests': {
      post: {
        summary: 'A service provider registers a signed request (JAR style, G5)',
        operationId: 'registerRequest',
        requestBody: { required: true, content: json(ref('RequestRegistration')) },
        responses: {
          '201': { description: 'Registered; hand the subject mydata-desktop://request?platform=<origin>&request_uri=<urn>', content: json(ref('RequestRegistered')) },
          '400': error('Bad signature, expired, replayed, wrong audience, unregistered URL, malformed'),
          '401': error('Unknown service provider'),
          '403': error("Not the provider's own service"),
          '409': error('Service not available'),
        },
      },
    },
    '/requests/{request_uri}': {
      get: {
        summary: 'The verified request behind a deep link',
        operationId: 'getRequest',
        parameters: [pathParam('request_uri')],
        responses: { '200': { description: 'The request', content: json(ref('RequestView')) }, '404': error('Unknown request'), '409': error('Already answered'), '410': error('Expired') },
      },
    },
    '/sp/transactions/{tx_id}/package': {
      get: {
        summary: 'The service provider fetches the data once, with its permission ticket',
        operationId: 'getSpPackage',
        security: [{ permissionTicket: [] }],
        parameters: [pathParam('tx_id')],
        responses: packageAnswers,
      },
    },
    '/sandbox/provider-logs': {
      get: {
        summary: "Sandbox only: the data providers' transmission records (G14)",
        operationId: 'listProviderLogs',
        parameters: [{ name: 'provider', in: 'query', schema: { type: 'string' } }, { name: 'tx_id', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'Records', content: json({ type: 'array', items: ref('ProviderLogRecord') }) } },
      },
    },
  };
}

/** The whole document; the same schemas validate what the client reads and what the sandbox serves. */
export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'MyData Platform API',
      version: '1.0.0',
      description:
        'The protocol between MyData Desktop and a MyData platform (ARCHITECTURE §5), as the embedded sandbox serves it. Errors are JSON {code, message_zh, message_en, retryable, ...details} with stable codes. Calls about a subject need a DPoP-bound JWT access token (RFC 9449) issued by an accredited identity provider listed in the metadata, with this platform as audience and one scope per dataset (dataset:<id>).',
    },
    servers: [{ url: 'http://127.0.0.1:{port}', variables: { port: { default: '0' } } }],
    paths: paths(),
    components: {
      schemas: { ...componentSchemas('output', responseComponents), ...componentSchemas('input', requestComponents) },
      securitySchemes: {
        dpop: {
          type: 'http',
          scheme: 'DPoP',
          description: 'Authorization: DPoP <access token> plus a DPoP proof header (htm, htu, iat, jti, ath) signed by the key the token is bound to (cnf.jkt).',
        },
        permissionTicket: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "The one-time permission_ticket the platform sent to the provider's callback, signed with the key at /jwks.",
        },
      },
    },
  };
}

/** The document as the repository keeps it: two-space JSON and a final newline. */
export function openApiText(): string {
  return `${JSON.stringify(openApiDocument(), null, 2)}\n`;
}
