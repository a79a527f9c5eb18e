import { Module, type DynamicModule } from '@nestjs/common';
import { createTokenVerifier } from '../create-token-verifier';
import { LedgerAuthGuard } from './ledger-auth.guard';
import { LEDGER_AUTH_OPTIONS, LEDGER_VERIFIER, type LedgerAuthOptions } from './ledger-auth.tokens';

/** Provides the verifier and the guard behind @RequireScopes, everywhere in the application. */
@Module({})
export class LedgerAuthModule {
  static forRoot(options: LedgerAuthOptions): DynamicModule {
    const verifier = options.verifier ?? (options.baseUrl ? createTokenVerifier({ ...options, baseUrl: options.baseUrl }) : undefined);
    if (!verifier) throw new Error('LedgerAuthModule.forRoot needs baseUrl (the ledger) or a verifier');
    return {
      module: LedgerAuthModule,
      global: true,
      providers: [{ provide: LEDGER_VERIFIER, useValue: verifier }, { provide: LEDGER_AUTH_OPTIONS, useValue: options }, LedgerAuthGuard],
      exports: [LEDGER_VERIFIER, LEDGER_AUTH_OPTIONS, LedgerAuthGuard],
    };
  }
}
