import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { LedgerConfig } from '@ledger/config';
import { tokenStatus, type IndexedToken, type TokenIndex } from '@ledger/projections';
import { grantsScope, hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { presentedToken } from '../../credentials/presented-token';
import { addressBucket, type ClientAddress } from './client-address';
import type { RateLimitStorage } from './rate-limit-storage';

// Probes and scrapers poll from one address on a schedule: they are not API callers.
const UNLIMITED_PATHS = /^\/(health|metrics|docs|openapi\.json)(\/|$|\?)/;

/** Name of the per-project throttler, for `@SkipThrottle({ [PROJECT_THROTTLER]: true })`. */
export const PROJECT_THROTTLER = 'project';

/**
 * Only a caller the admin API serves spends its project's bucket: a token holding none of these
 * (custom scopes only, or `introspect`) can do nothing here but be refused 403, and a leaked
 * end-user token must not lock the project's admins out.
 */
const spendsProjectBucket = (token: IndexedToken) =>
  grantsScope(token.scopes, 'tokens:read') || grantsScope(token.scopes, 'tokens:write') || grantsScope(token.scopes, 'audit:read');

/**
 * ADMIN_RATE_LIMIT for the admin API: one bucket per calling token across every route (as
 * GitHub or Stripe count per account), and ADMIN_PROJECT_RATE_LIMIT one per project of the
 * calling token, so that minting fresh tokens brings no fresh capacity. Only a token that
 * authenticates (active: not revoked, expired or past its grace) has a bucket of its own: the
 * throttler runs before CallerGuard, so anything else — a revoked token looping, a guess — counts
 * per client address and never against a project. Revokes skip the project bucket (see
 * RevokeTokenHttpController) so an incident response always gets through. Verification routes
 * opt out with @SkipThrottle: their callers are trusted services.
 */
export function adminRateLimitOptions(config: LedgerConfig, storage: RateLimitStorage, index: TokenIndex, clients: ClientAddress): ThrottlerModuleOptions {
  const { adminRateLimit: perToken, adminProjectRateLimit: perProject } = config.verification;
  // Both throttlers ask for the same request: look its token up once.
  const callers = new WeakMap<object, IndexedToken | null>();
  const callerOf = (request: FastifyRequest): IndexedToken | null => {
    if (callers.has(request)) return callers.get(request) ?? null;
    const value = presentedToken(request.headers);
    const token = value && parseTokenValue(value) ? index.find(hashTokenValue(value)) : undefined;
    const caller = token && tokenStatus(token, new Date()) === 'active' ? token : null;
    callers.set(request, caller);
    return caller;
  };
  const requestOf = (context: ExecutionContext) => context.switchToHttp().getRequest<FastifyRequest>();
  // The throttler hands getTracker the same request it reads from the context: read it typed from there.
  const tracker = (context: ExecutionContext, key: (token: IndexedToken) => string) => {
    const request = requestOf(context);
    const caller = callerOf(request);
    return caller ? key(caller) : `ip:${addressBucket(clients.of(request))}`;
  };
  return {
    storage,
    throttlers: [
      ...(perToken
        ? [
            {
              name: 'default',
              limit: perToken.limit,
              ttl: perToken.windowMs,
              getTracker: (_request: unknown, context: ExecutionContext) => tracker(context, (t) => `token:${t.id}`),
            },
          ]
        : []),
      ...(perProject
        ? [
            {
              name: PROJECT_THROTTLER,
              limit: perProject.limit,
              ttl: perProject.windowMs,
              skipIf: (context: ExecutionContext) => {
                const caller = callerOf(requestOf(context));
                return UNLIMITED_PATHS.test(requestOf(context).url) || (caller !== null && !spendsProjectBucket(caller));
              },
              getTracker: (_request: unknown, context: ExecutionContext) => tracker(context, (t) => `project:${t.projectId}`),
            },
          ]
        : []),
    ],
    skipIf: (context: ExecutionContext) => UNLIMITED_PATHS.test(requestOf(context).url),
    generateKey: (_context, tracker, name) => `admin:${name}:${tracker}`,
  };
}
