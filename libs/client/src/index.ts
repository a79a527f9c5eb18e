export { createLedgerAdminClient, type LedgerAdminClient } from './admin-client';
export { authorizeRequest, type Authorization, type Refusal } from './authorize-request';
export { byTokenShape } from './by-token-shape';
export type { components, operations, paths } from './generated/ledger-api';
export { LedgerVerifier, type LedgerVerifierOptions } from './ledger-verifier';
export { presentedToken } from './presented-token';
export type { RetryPolicy } from './retry';
export type { RefusalCode, TokenVerifier, VerifiedToken, VerifyContext, VerifyOutcome, VerifyRequirement } from './verified-token';
