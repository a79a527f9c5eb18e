import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CallerGuard } from '../auth/caller.guard';
import { AsOfSnapshots } from './as-of/as-of-snapshots';
import { CreateTokenHandler } from './create-token/create-token.handler';
import { CreateTokenHttpController } from './create-token/create-token.http.controller';
import { GetTokenHandler } from './get-token/get-token.handler';
import { GetTokenHttpController } from './get-token/get-token.http.controller';
import { ListProjectsHandler } from './list-projects/list-projects.handler';
import { ListProjectsHttpController } from './list-projects/list-projects.http.controller';
import { ListTokensHandler } from './list-tokens/list-tokens.handler';
import { ListTokensHttpController } from './list-tokens/list-tokens.http.controller';
import { ProjectTokenQuota } from './project-token-quota';
import { RevokeTokenHandler } from './revoke-token/revoke-token.handler';
import { RevokeTokenHttpController } from './revoke-token/revoke-token.http.controller';
import { RotateTokenHandler } from './rotate-token/rotate-token.handler';
import { RotateTokenHttpController } from './rotate-token/rotate-token.http.controller';
import { RotationRecovery } from './rotate-token/rotation-recovery';
import { TokenHistoryHandler } from './token-history/token-history.handler';
import { TokenHistoryHttpController } from './token-history/token-history.http.controller';
import { UpdateTokenHandler } from './update-token/update-token.handler';
import { UpdateTokenHttpController } from './update-token/update-token.http.controller';

@Module({
  imports: [CqrsModule],
  controllers: [
    CreateTokenHttpController,
    ListTokensHttpController,
    ListProjectsHttpController,
    GetTokenHttpController,
    RevokeTokenHttpController,
    RotateTokenHttpController,
    UpdateTokenHttpController,
    TokenHistoryHttpController,
  ],
  providers: [
    ProjectTokenQuota,
    CallerGuard,
    CreateTokenHandler,
    RevokeTokenHandler,
    RotateTokenHandler,
    UpdateTokenHandler,
    RotationRecovery,
    ListTokensHandler,
    ListProjectsHandler,
    GetTokenHandler,
    TokenHistoryHandler,
    AsOfSnapshots,
  ],
})
export class TokensModule {}
