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
 * GitHub or Stripe count per account), per client address for requests without a known token.
 * Verification routes opt out with @SkipThrottle: their callers are trusted services.
 */
export function adminRateLimitOptions(config: LedgerConfig, storage: RateLimitStorage, index: TokenIndex, clients: ClientAddress): ThrottlerModuleOptions {
  const limit = config.verification.adminRateLimit;
  return {
    storage,
    throttlers: limit ? [{ name: 'default', limit: limit.limit, ttl: limit.windowMs }] : [],
    skipIf: (context: ExecutionContext) => !limit || UNLIMITED_PATHS.test(context.switchToHttp().getRequest<FastifyRequest>().url),
    getTracker: (request: Record<string, any>) => {
      const value = presentedToken((request as FastifyRequest).headers);
      const token = value && parseTokenValue(value) ? index.find(hashTokenValue(value)) : undefined;
      return token ? `token:${token.id}` : `ip:${clients.of(request as FastifyRequest)}`;
    },
    generateKey: (_context, tracker, name) => `admin:${name}:${tracker}`,
  };
}
