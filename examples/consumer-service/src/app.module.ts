import { Module, type DynamicModule } from '@nestjs/common';
import { LedgerAuthModule } from '@ledger/client/nest';
import { OrdersHttpController } from './orders.http.controller';

export interface ConsumerConfig {
  /** Where the ledger is. */
  ledgerUrl: string;
  /** This service's project in the ledger: tokens of other projects are refused. */
  projectId: string;
  /** How long a valid answer is reused: the longest a revoked token still gets through. */
  cacheTtlMs: number;
  /** The ledger's ACCESS_TOKEN_ISSUER: when set, its JWT access tokens are verified offline against its JWKS. */
  accessTokenIssuer?: string;
}

@Module({})
export class AppModule {
  static forRoot(config: ConsumerConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LedgerAuthModule.forRoot({
          baseUrl: config.ledgerUrl,
          projectId: config.projectId,
          cacheTtlMs: config.cacheTtlMs,
          accessTokens: config.accessTokenIssuer ? { issuer: config.accessTokenIssuer } : undefined,
        }),
      ],
      controllers: [OrdersHttpController],
    };
  }
}
