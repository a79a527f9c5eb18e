export { LedgerAuthGuard } from './ledger-auth.guard';
export { LedgerAuthModule } from './ledger-auth.module';
export { LEDGER_VERIFIER, type LedgerAuthOptions } from './ledger-auth.tokens';
export { LedgerToken, RequireScopes } from './require-scopes.decorator';
