export * from './ledger-config';
export * from './reminder-config';
