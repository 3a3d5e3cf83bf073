// Per-dataset codes carried in a package's outer manifest and in transaction status.
export const DatasetCode = { OK: 200, NO_DATA: 404, PROVIDER_ERROR: 500, PROVIDER_TIMEOUT: 504 } as const;
