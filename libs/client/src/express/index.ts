export { ledgerAuth } from './ledger-auth.middleware';
