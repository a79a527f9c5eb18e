import type { TokenVerifierOptions } from '../create-token-verifier';
import type { TokenVerifier } from '../verified-token';

export const LEDGER_VERIFIER = Symbol('LEDGER_VERIFIER');
export const LEDGER_AUTH_OPTIONS = Symbol('LEDGER_AUTH_OPTIONS');
export const REQUIRED_SCOPES = 'ledger:required-scopes';

export interface LedgerAuthOptions extends Partial<TokenVerifierOptions> {
  /** Only tokens of this project are let through (recommended: the service's own project). */
  projectId?: string;
  /** Instead of the verifier built from these options (createTokenVerifier). */
  verifier?: TokenVerifier;
}
