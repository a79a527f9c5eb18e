import { Module } from '@nestjs/common';
import { AccessTokenExchange } from './access-token.exchange';
import { DiscoveryHttpController } from './discovery.http.controller';
import { AuthHttpController } from './exchange/auth.http.controller';
import { OAuthTokenHttpController } from './exchange/oauth-token.http.controller';
import { RotateSigningKeyHttpController } from './rotate-signing-key.http.controller';
import { CallerGuard } from '../auth/caller.guard';

/** The exchange, discovery and key rotation; the key ring and the ledger's check live in VerificationModule (global). */
@Module({
  controllers: [OAuthTokenHttpController, AuthHttpController, DiscoveryHttpController, RotateSigningKeyHttpController],
  providers: [AccessTokenExchange, CallerGuard],
})
export class AccessTokensModule {}
