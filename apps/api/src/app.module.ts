import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { LedgerConfig } from '@ledger/config';
import { AccessTokensModule } from './access-tokens/access-tokens.module';
import { AuditModule } from './audit/audit.module';
import { ConsoleModule } from './console/console.module';
import { ANNOUNCE, RootTokenBootstrap, type Announce } from './bootstrap/root-token.bootstrap';
import { HealthModule } from './health/health.module';
import { ApiErrorFilter } from './http/api-error.filter';
import { createLedgerLogger, LEDGER_LOGGER } from './http/logging';
import { LedgerValidationPipe } from './http/validation.pipe';
import { LedgerStoreModule } from './store/ledger-store.module';
import { MetricsModule } from './metrics/metrics.module';
import { RemindersModule } from './reminders/reminders.module';
import { TokensModule } from './tokens/tokens.module';
import { VerificationModule } from './verification/verification.module';

export interface AppOptions {
  /** Where structured logs go (default stdout). */
  logDestination?: DestinationStream;
  /** Where the one-time root token line goes (default stdout). */
  announce?: Announce;
  /** Where the built console is (default dist/console of this package). */
  consoleDir?: string;
}

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig, options: AppOptions = {}): DynamicModule {
    const logger = createLedgerLogger(config, options.logDestination);
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          // nestjs-pino is Nest's logger only: no pino-http middleware, no per-request
          // AsyncLocalStorage (forRoutes: [] applies its middleware nowhere). Requests are
          // logged by the Fastify hook of http/logging.ts with this same pino instance.
          pinoHttp: { logger },
          useExisting: true,
          forRoutes: [],
        }),
        LedgerStoreModule.forRoot(config),
        TokensModule,
        HealthModule,
        MetricsModule,
        RemindersModule.forRoot(config),
        AuditModule,
        VerificationModule.forRoot(config),
        AccessTokensModule,
        ConsoleModule.forRoot(options.consoleDir),
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_PIPE, useClass: LedgerValidationPipe },
        { provide: LEDGER_LOGGER, useValue: logger },
        { provide: ANNOUNCE, useValue: options.announce ?? ((line: string) => process.stdout.write(line + '\n')) },
        RootTokenBootstrap,
      ],
    };
  }
}
