// The platform API's service-provider requests (G5, ARCHITECTURE §5): the signed request a provider registers and the verified request the app reads behind a deep link.
import { z } from 'zod';
import { CatalogueServiceSchema, InstantSchema, OrganizationSchema } from './catalogue.ts';

/** The claims of a request object (JAR style: a JWT, typ oauth-authz-req+jwt, ES256, signed with the provider's registered key). */
export const RequestObjectClaimsSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  iat: z.number(),
  exp: z.number(),
  jti: z.string().min(8),
  service_id: z.string(),
  return_url: z.url(),
  callback_url: z.url(),
  state: z.string().max(200).optional(),
});

/** POST /sp/requests: a service provider registers a signed request. */
export const RequestRegistrationSchema = z.object({
  request: z.string().describe("Request object: a JWT (typ oauth-authz-req+jwt, ES256) signed with the service provider's registered key; claims iss (the service id), aud (the platform's api_base), iat, exp (at most 600 s later), jti, service_id, return_url, callback_url, state?"),
});

/** POST /sp/requests 201: hand the subject mydata-desktop://request?platform=<origin>&request_uri=<urn>. */
export const RequestRegisteredSchema = z.object({
  request_uri: z.string().regex(/^urn:mydata:request:[A-Za-z0-9_-]+$/),
  expires_in: z.number().int(),
});
export type RequestRegistered = z.infer<typeof RequestRegisteredSchema>;

/** The service provider as a request names it, with the origin its return and callback URLs must be on. */
export const ServiceProviderViewSchema = OrganizationSchema.extend({
  origin: z.string().describe("The provider's registered origin: return and callback URLs must be on it"),
});

/** GET /requests/{request_uri}: the verified request behind a deep link. */
export const RequestViewSchema = z.object({
  request_uri: z.string(),
  expires_at: InstantSchema,
  service: CatalogueServiceSchema,
  service_provider: ServiceProviderViewSchema,
  purpose_zh: z.string().min(1),
  purpose_en: z.string().min(1),
  return_url: z.string(),
});
export type RequestView = z.infer<typeof RequestViewSchema>;
