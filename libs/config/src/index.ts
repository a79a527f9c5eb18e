export * from './ledger-config';
export * from './reminder-config';
export * from './ledger-files';
export * from './verification-config';
export * from './as-of-config';
export * from './http-config';
export * from './event-store-config';
export * from './access-token-config';
export { REDIS_DISCONNECT_TIMEOUT_MS } from './config-values';
