// The mydata-desktop:// deep links the app accepts (ARCHITECTURE §5, G5), as validated values.
import { z } from 'zod';

export const DEEP_LINK_SCHEME = 'mydata-desktop:';

/** A service provider's request: mydata-desktop://request?platform=<origin>&request_uri=<urn>. */
export const RequestDeepLinkSchema = z.object({
  kind: z.literal('request'),
  platform: z.url(),
  requestUri: z.string().regex(/^urn:[a-z0-9][a-z0-9-]{0,31}:[A-Za-z0-9._~:-]{1,200}$/),
});

export const DeepLinkSchema = z.discriminatedUnion('kind', [RequestDeepLinkSchema]);
export type DeepLink = z.infer<typeof DeepLinkSchema>;
