import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { LedgerConfig } from '@ledger/config';
import { TokenIndex } from '@ledger/projections';
import { AccessTokenVerifier } from './jwt/access-token.verifier';
import { SigningKeyRing } from './jwt/signing-key-ring';
import { HotPathRoutes } from './hot-path.routes';
import { IntrospectHttpController } from './oauth2/introspect.http.controller';
import { RevokeHttpController } from './oauth2/revoke.http.controller';
import { adminRateLimitOptions } from './rate-limit/admin-rate-limit';
import { AdminThrottlerGuard } from './rate-limit/admin-throttler.guard';
import { ClientAddress } from './rate-limit/client-address';
import { FailedAuthLimiter } from './rate-limit/failed-auth.limiter';
import { RateLimitStorage } from './rate-limit/rate-limit-storage';
import { UsageBuffer } from './usage/usage-buffer';
import { UsageFlusher } from './usage/usage-flusher';
import { VerificationService } from './verification.service';

/** Storage and client address are needed by the throttler's own options, hence their own module. */
@Module({})
class RateLimitStorageModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return {
      module: RateLimitStorageModule,
      providers: [{ provide: RateLimitStorage, useValue: new RateLimitStorage(config) }, ClientAddress],
      exports: [RateLimitStorage, ClientAddress],
    };
  }
}

/**
 * Verify, forward-auth, RFC 7662/7009, usage recording and rate limits. Global, because the
 * admin API's CallerGuard (in every feature module) counts uses and failed credentials too.
 */
@Global()
@Module({})
export class VerificationModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    const storage = RateLimitStorageModule.forRoot(config);
    return {
      module: VerificationModule,
      imports: [
        storage,
        ThrottlerModule.forRootAsync({
          imports: [storage],
          inject: [RateLimitStorage, TokenIndex, ClientAddress],
          useFactory: (s: RateLimitStorage, index: TokenIndex, clients: ClientAddress) => adminRateLimitOptions(config, s, index, clients),
        }),
      ],
      controllers: [IntrospectHttpController, RevokeHttpController],
      providers: [
        { provide: UsageBuffer, useValue: new UsageBuffer() },
        UsageFlusher,
        FailedAuthLimiter,
        VerificationService,
        SigningKeyRing,
        AccessTokenVerifier,
        HotPathRoutes,
        ...(config.verification.adminRateLimit || config.verification.adminProjectRateLimit ? [{ provide: APP_GUARD, useClass: AdminThrottlerGuard }] : []),
      ],
      exports: [UsageBuffer, UsageFlusher, FailedAuthLimiter, VerificationService, SigningKeyRing, AccessTokenVerifier, storage],
    };
  }
}
