import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import type { LedgerConfig } from '@ledger/config';
import type { TokenIndex } from '@ledger/projections';
import { hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { presentedToken } from '../../auth/credentials';
import type { ClientAddress } from './client-address';
import type { RateLimitStorage } from './rate-limit-storage';

// Probes and scrapers poll from one address on a schedule: they are not API callers.
const UNLIMITED_PATHS = /^\/(health|metrics|docs|openapi\.json)(\/|$|\?)/;

/**
 * ADMIN_RATE_LIMIT for the admin API: one bucket per calling token across every route (as
 * GitHub or Stripe count per account), and ADMIN_PROJECT_RATE_LIMIT one per project of the
 * calling token, so that minting fresh tokens brings no fresh capacity. Requests without a known
 * token count per client address. Verification routes opt out with @SkipThrottle: their callers
 * are trusted services.
 */
export function adminRateLimitOptions(config: LedgerConfig, storage: RateLimitStorage, index: TokenIndex, clients: ClientAddress): ThrottlerModuleOptions {
  const { adminRateLimit: perToken, adminProjectRateLimit: perProject } = config.verification;
  const tracker = (request: Record<string, any>, key: (token: { id: string; projectId: string }) => string) => {
    const value = presentedToken((request as FastifyRequest).headers);
    const token = value && parseTokenValue(value) ? index.find(hashTokenValue(value)) : undefined;
    return token ? key(token) : `ip:${clients.of(request as FastifyRequest)}`;
  };
  return {
    storage,
    throttlers: [
      ...(perToken ? [{ name: 'default', limit: perToken.limit, ttl: perToken.windowMs, getTracker: (r: Record<string, any>) => tracker(r, (t) => `token:${t.id}`) }] : []),
      ...(perProject ? [{ name: 'project', limit: perProject.limit, ttl: perProject.windowMs, getTracker: (r: Record<string, any>) => tracker(r, (t) => `project:${t.projectId}`) }] : []),
    ],
    skipIf: (context: ExecutionContext) => UNLIMITED_PATHS.test(context.switchToHttp().getRequest<FastifyRequest>().url),
    generateKey: (_context, tracker, name) => `admin:${name}:${tracker}`,
  };
}
