// The platform's closed sets of values as plain lists, so the contract's zod enums and the renderer's choices share one source.

/** A service's life cycle on the platform (G7, G16). */
export const SERVICE_STATUSES = ['testing', 'pilot', 'live', 'suspended', 'terminated'] as const;

/** Natural person (自然人) or legal person (法人, represented by its 負責人) (G2). */
export const SUBJECT_TYPES = ['natural', 'legal'] as const;

/** Whether the person downloads the data themselves or it goes to a service provider. */
export const SERVICE_KINDS = ['self-download', 'service-provider'] as const;

/** The six categories of organisation that may interconnect (G6). */
export const ORGANIZATION_CATEGORIES = [
  'executive-yuan',
  'other-yuan',
  'local-government',
  'university',
  'state-owned-enterprise',
  'financial-institution',
] as const;

/** Assurance levels as the platform ranks them: lower is stronger, 0 (自然人憑證) to 4 (one-time code). */
export const STRONGEST_LEVEL = 0;
export const WEAKEST_LEVEL = 4;
