import type { LedgerVerifierOptions } from '../ledger-verifier';
import type { TokenVerifier } from '../verified-token';

export const LEDGER_VERIFIER = Symbol('LEDGER_VERIFIER');
export const LEDGER_AUTH_OPTIONS = Symbol('LEDGER_AUTH_OPTIONS');
export const REQUIRED_SCOPES = 'ledger:required-scopes';

export interface LedgerAuthOptions extends Partial<LedgerVerifierOptions> {
  /** Only tokens of this project are let through (recommended: the service's own project). */
  projectId?: string;
  /** Instead of a LedgerVerifier built from these options (e.g. one that also checks JWTs). */
  verifier?: TokenVerifier;
}
