import { presentedToken } from './presented-token';
import type { RefusalCode, TokenVerifier, VerifiedToken, VerifyOutcome, VerifyRequirement } from './verified-token';

/** The answer to give a refused request: RFC 6750 §3 status and challenge, and the error shape of the ledger. */
export interface Refusal {
  status: 401 | 403 | 503;
  headers: Record<string, string>;
  body: { error: { code: RefusalCode; message: string } };
}

export type Authorization = { allowed: true; token: VerifiedToken } | { allowed: false; refusal: Refusal };

const MESSAGES: Record<RefusalCode, string> = {
  missing: 'send a token as Authorization: Bearer <token>',
  malformed: 'the token is malformed',
  not_found: 'the token is not known',
  revoked: 'the token is revoked',
  expired: 'the token is expired',
  insufficient_scope: 'the token lacks a required scope',
  wrong_project: 'the token belongs to another project',
  unavailable: 'the token cannot be verified right now; retry shortly',
};

function refusal(code: RefusalCode, scopes: string[]): Refusal {
  const body = { error: { code, message: MESSAGES[code] } };
  if (code === 'unavailable') return { status: 503, headers: { 'retry-after': '5' }, body };
  if (code === 'insufficient_scope' || code === 'wrong_project') {
    return { status: 403, headers: { 'www-authenticate': `Bearer error="insufficient_scope", scope="${scopes.join(' ')}"` }, body };
  }
  const challenge = code === 'missing' ? 'Bearer' : `Bearer error="invalid_token", error_description="${code}"`;
  return { status: 401, headers: { 'www-authenticate': challenge }, body };
}

/**
 * What the Nest guard, the Express middleware and the Fastify hook all do with a request. `ip`
 * is the end client's address as the framework sees it (Express's and Fastify's `ip`).
 */
export async function authorizeRequest(
  verifier: TokenVerifier,
  request: { headers: Record<string, string | string[] | undefined>; ip?: string },
  requirement: VerifyRequirement,
): Promise<Authorization> {
  const token = presentedToken(request.headers);
  const outcome: VerifyOutcome = token ? await verifier.verify(token, requirement, { clientAddress: request.ip }) : { valid: false, code: 'missing' };
  return outcome.valid ? { allowed: true, token: outcome.token } : { allowed: false, refusal: refusal(outcome.code, requirement.scopes ?? []) };
}
