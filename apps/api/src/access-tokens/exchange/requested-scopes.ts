import { MAX_SCOPES, SCOPE_PATTERN } from '@ledger/token-domain';
import { ExchangeError } from '../access-token.exchange';

/** RFC 6749 §3.3: space-delimited; absent or empty asks for every scope of the token. */
export function requestedScopes(scope: unknown): string[] | null {
  if (scope === undefined || scope === null) return null;
  const list = Array.isArray(scope) ? scope : typeof scope === 'string' ? scope.split(' ').filter((s) => s.length > 0) : null;
  if (list === null || !list.every((s): s is string => typeof s === 'string' && SCOPE_PATTERN.test(s)) || list.length > MAX_SCOPES) {
    throw new ExchangeError('invalid_scope', 'scope must be space-separated scope names');
  }
  return list.length === 0 ? null : list;
}
