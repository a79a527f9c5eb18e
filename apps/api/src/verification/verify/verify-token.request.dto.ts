import { MAX_SCOPES } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';

/** Body of POST /v1/tokens/verify. */
export interface VerifyTokenRequest {
  token: string;
  /** Scopes the token must all hold. */
  scopes?: string[];
  /** The project the token must belong to. */
  projectId?: string;
}

const FIELDS = new Set(['token', 'scopes', 'projectId']);
/** An access token (JWT) carries up to 32 scopes of 64 characters in its payload; a ledger value is 53. */
const MAX_TOKEN_LENGTH = 4096;
const invalid = (field: string, problem: string) =>
  ApiError.badRequest('validation_failed', `${field} ${problem}`, [{ field, problems: [`${field} ${problem}`] }]);

/**
 * The rules class-validator would apply (unknown fields refused, types checked), written out:
 * on this path the validation pipe would cost more than the verification itself.
 */
export function parseVerifyRequest(body: unknown): VerifyTokenRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('body', 'must be a JSON object');
  const request = body as Record<string, unknown>;
  for (const key in request) if (!FIELDS.has(key)) throw invalid(key, 'should not exist');
  const { token, scopes, projectId } = request;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
    throw invalid('token', `must be a string of 1 to ${MAX_TOKEN_LENGTH} characters`);
  const checked: VerifyTokenRequest = { token };
  if (scopes !== undefined) {
    if (!Array.isArray(scopes) || scopes.length > MAX_SCOPES) throw invalid('scopes', `must be an array of at most ${MAX_SCOPES} strings`);
    checked.scopes = scopes.map((scope: unknown) => {
      if (typeof scope !== 'string' || scope.length > 64) throw invalid('scopes', 'must contain strings of at most 64 characters');
      return scope;
    });
  }
  if (projectId !== undefined) {
    if (typeof projectId !== 'string' || projectId.length > 63) throw invalid('projectId', 'must be a string of at most 63 characters');
    checked.projectId = projectId;
  }
  return checked;
}
