// The platform's catalogue shapes travel over IPC as they came over the wire: the contract re-exports the protocol's schemas.
export * from '../protocol/catalogue.ts';
