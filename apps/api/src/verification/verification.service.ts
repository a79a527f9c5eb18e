import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { CREDENTIAL_FAILURES, TokenIndex, verifyTokenValue, type Verification, type VerifyFailureCode, type VerifyRequirements } from '@ledger/projections';
import { tokenValueDigest } from '@ledger/token-domain';
import { looksLikeJwt } from './jwt/access-token.jwt';
import { AccessTokenVerifier } from './jwt/access-token.verifier';
import { LedgerMetrics } from '../metrics/ledger-metrics';
import { ClientAddress } from './rate-limit/client-address';
import { FailedAuthLimiter } from './rate-limit/failed-auth.limiter';
import { UsageBuffer } from './usage/usage-buffer';

const userAgent = (request: FastifyRequest): string | null => {
  const value = request.headers['user-agent'];
  return value ? value.slice(0, 256) : null;
};

/** Answers about a token that authenticated: it exists and is active, whatever it was asked for. */
const AUTHENTICATED: ReadonlySet<VerifyFailureCode> = new Set(['insufficient_scope', 'wrong_project']);

/**
 * The hot path shared by verify, forward-auth and introspection: the in-memory index, the
 * brute-force bucket of the end client, and usage counted in memory. No disk, and no network
 * unless a credential failed (the bucket's counter may live in Redis).
 *
 * The bucket never stands in front of a valid credential: a client over the limit gets 429 for
 * what fails to authenticate, while its valid tokens keep passing. Token values carry 256 bits
 * and a checksum, so guessing gains nothing; the bucket is a noise and probing defence, and it
 * must not let anyone sharing an address (a gateway, a NAT) take authentication down for all.
 */
@Injectable()
export class VerificationService {
  constructor(
    private readonly index: TokenIndex,
    private readonly usage: UsageBuffer,
    private readonly limiter: FailedAuthLimiter,
    private readonly clients: ClientAddress,
    private readonly metrics: LedgerMetrics,
    private readonly accessTokens: AccessTokenVerifier,
  ) {}

  /** Bound once: a closure per verification is an allocation the hot path does not need. */
  private readonly findByDigest = (digest: string) => this.index.findByDigest(digest);

  /**
   * Verifies `value` for the request's end client. A token that authenticates is answered
   * whatever the client's bucket says; one that does not gets the 429 while the client is blocked.
   * `route` is the template the caller was registered on (the metrics label): passed in, because
   * `request.routeOptions` builds a new object on every read.
   */
  async verify(request: FastifyRequest, route: string, value: string, requirements: VerifyRequirements): Promise<Verification> {
    const now = Date.now();
    const looked = this.lookUp(value, requirements, now);
    // An opaque token's answer is synchronous: no extra turn for it on the hot path.
    const result = looked instanceof Promise ? await looked : looked;
    if (result.valid || AUTHENTICATED.has(result.code)) return this.answered(request, route, result, now);
    const client = this.clients.of(request);
    const blocked = this.limiter.retryAfter(client);
    // A client already over its bucket is answered 429 for what fails: counted as rate_limited.
    this.metrics.verified(route, blocked > 0 ? 'rate_limited' : result.code);
    if (blocked > 0) throw FailedAuthLimiter.tooMany(blocked);
    if (CREDENTIAL_FAILURES.has(result.code)) {
      const wait = await this.limiter.recordFailure(client);
      if (wait > 0) throw FailedAuthLimiter.tooMany(wait);
    }
    return result;
  }

  /**
   * Verifies `value` for a caller that has already authenticated itself (RFC 7662 introspection):
   * a value that fails is its own client's, so it is answered, never 429'd, and not counted
   * against the caller's address, which would otherwise block a resource server for its users' typos.
   */
  async inspect(request: FastifyRequest, route: string, value: string, requirements: VerifyRequirements): Promise<Verification> {
    const now = Date.now();
    return this.answered(request, route, await this.lookUp(value, requirements, now), now);
  }

  /**
   * An opaque ledger token is looked up synchronously, as before access tokens existed; a JWT
   * (told apart by its first characters) goes to the access token check, which answers for its parent.
   */
  private lookUp(value: string, requirements: VerifyRequirements, now: number): Verification | Promise<Verification> {
    if (typeof value === 'string' && looksLikeJwt(value)) return this.accessTokens.verify(value, requirements, now);
    return verifyTokenValue(value, this.findByDigest, requirements, new Date(now), tokenValueDigest);
  }

  /** An answer the client's bucket has no say in: counted, and a valid token's use recorded. */
  private answered(request: FastifyRequest, route: string, result: Verification, now: number): Verification {
    this.metrics.verified(route, result.valid ? 'valid' : result.code);
    // An access token's use is its parent's: result.token carries the parent's id.
    if (result.valid) this.usage.record(result.token, now, this.clients.of(request), userAgent(request));
    return result;
  }

  /**
   * A credential that did not authenticate: throws the 429 while the client is blocked; a value
   * the ledger never issued (`counts`) is counted, and throws the 429 when it went over the limit.
   */
  async failedCredential(request: FastifyRequest, counts: boolean): Promise<void> {
    const client = this.clients.of(request);
    const blocked = this.limiter.retryAfter(client);
    if (blocked > 0) throw FailedAuthLimiter.tooMany(blocked);
    if (!counts) return;
    const wait = await this.limiter.recordFailure(client);
    if (wait > 0) throw FailedAuthLimiter.tooMany(wait);
  }

  /** A use of the admin API by an authenticated token. */
  recordUse(request: FastifyRequest, token: { id: string; projectId: string }): void {
    this.usage.record(token, Date.now(), this.clients.of(request), userAgent(request));
  }
}
