import type { components } from './generated/ledger-api';
import { DEFAULT_RETRY, TransientError, withRetries, type RetryPolicy } from './retry';
import { VerifyCache } from './verify-cache';
import type { RefusalCode, TokenVerifier, VerifyContext, VerifyOutcome, VerifyRequirement } from './verified-token';

export interface LedgerVerifierOptions {
  /** Where the ledger is, e.g. http://token-ledger:3000 */
  baseUrl: string;
  /**
   * How long a valid answer is reused, in ms (default 5000, 0 = ask every time). A token
   * revoked in the ledger is refused here at the latest this long after the revoke.
   */
  cacheTtlMs?: number;
  /** At most this many answers are kept (default 10 000; the least recently used go first). */
  cacheMaxEntries?: number;
  /**
   * Fail closed (the default, 0): when the ledger cannot be reached, every token is refused as
   * `unavailable`. A positive value lets a token that verified recently keep working for that
   * long past its cache time while the ledger is unreachable: a deliberate trade of revocation
   * delay for availability.
   */
  staleIfErrorMs?: number;
  /** Retries on network errors, timeouts and 5xx answers (default 2, from 100 ms, doubling). */
  retry?: Partial<RetryPolicy>;
  /** Per attempt (default 2000 ms). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const LEDGER_CODES: ReadonlySet<string> = new Set<RefusalCode>(['malformed', 'not_found', 'revoked', 'expired', 'insufficient_scope', 'wrong_project']);

/** Verifies tokens by asking the ledger (POST /v1/tokens/verify), caching valid answers briefly. */
export class LedgerVerifier implements TokenVerifier {
  private readonly cache: VerifyCache;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly url: string;

  constructor(options: LedgerVerifierOptions) {
    // Appended, not resolved: a ledger behind a path prefix (http://gateway/ledger) keeps it.
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/v1/tokens/verify`;
    this.cache = new VerifyCache(options.cacheTtlMs ?? 5000, options.cacheMaxEntries ?? 10_000, options.staleIfErrorMs ?? 0);
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.timeoutMs = options.timeoutMs ?? 2000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** How many answers the cache holds now. */
  get cachedAnswers(): number {
    return this.cache.size;
  }

  async verify(token: string, requirement: VerifyRequirement = {}, context: VerifyContext = {}): Promise<VerifyOutcome> {
    if (!token) return { valid: false, code: 'missing' };
    const key = this.cache.key(token, requirement);
    const cached = this.cache.fresh(key);
    if (cached) return { valid: true, token: cached };
    let outcome: VerifyOutcome;
    try {
      outcome = await withRetries(this.retry, () => this.ask(token, requirement, context));
    } catch {
      const stale = this.cache.stale(key);
      return stale ? { valid: true, token: stale } : { valid: false, code: 'unavailable' };
    }
    if (outcome.valid) this.cache.store(key, outcome.token);
    return outcome;
  }

  private async ask(token: string, requirement: VerifyRequirement, context: VerifyContext): Promise<VerifyOutcome> {
    let response: Response;
    try {
      response = await this.fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(context.clientAddress ? { 'x-forwarded-for': context.clientAddress } : {}) },
        body: JSON.stringify({ token, scopes: requirement.scopes, projectId: requirement.projectId }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new TransientError(`ledger unreachable: ${(error as Error).name}`);
    }
    if (response.status >= 500) throw new TransientError(`ledger answered ${response.status}`);
    // A 400 is a token the ledger cannot even read (too long, wrong shape): as good as malformed.
    // A 429 is this service's address locked out for guessing: no answer, so refuse (fail closed).
    if (response.status !== 200) return { valid: false, code: response.status === 400 ? 'malformed' : 'unavailable' };
    return toOutcome(await response.json());
  }
}

type VerifyAnswer = components['schemas']['VerifyTokenResponse'];

/** Checked, not trusted: a body that is not one of the two documented answers is no answer. */
function isVerifyAnswer(body: unknown): body is VerifyAnswer {
  if (typeof body !== 'object' || body === null || !('valid' in body)) return false;
  if (body.valid === false) return 'code' in body && typeof body.code === 'string' && LEDGER_CODES.has(body.code);
  return body.valid === true && 'tokenId' in body && typeof body.tokenId === 'string' && 'scopes' in body && Array.isArray(body.scopes);
}

function toOutcome(answer: unknown): VerifyOutcome {
  // Anything that is not clearly valid is a refusal (fail closed).
  if (!isVerifyAnswer(answer)) return { valid: false, code: 'unavailable' };
  if (!answer.valid) return { valid: false, code: answer.code };
  const { tokenId: id, projectId, type, scopes, ownerId, expiresAt } = answer;
  return { valid: true, token: { id, projectId, type, scopes, ownerId, expiresAt } };
}
