export { ledgerAuthHook } from './ledger-auth.hook';
