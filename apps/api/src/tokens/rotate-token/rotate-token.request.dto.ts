import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_GRACE_PERIOD_SECONDS, MAX_LIFETIME_SECONDS } from '@ledger/token-domain';
import { IsDuration, OptionalNotNull } from '../../http/validators';

export class RotateTokenRequest {
  @ApiPropertyOptional({ description: 'How long the old token keeps working: 0 ends it now, at most 30d', default: '24h' })
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_GRACE_PERIOD_SECONDS })
  gracePeriod?: string | number;

  @ApiPropertyOptional({ description: "New token's lifetime, at most 100y; by default it keeps the old token's expiry", example: '90d' })
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_LIFETIME_SECONDS })
  expiresIn?: string | number;
}
