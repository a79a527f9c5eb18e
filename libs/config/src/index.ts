export * from './ledger-config';
export * from './verification-config';
