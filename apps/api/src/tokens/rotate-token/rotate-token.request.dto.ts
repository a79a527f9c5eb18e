import { ApiPropertyOptional } from '@nestjs/swagger';
import { MAX_GRACE_PERIOD_SECONDS, MAX_LIFETIME_SECONDS } from '@ledger/token-domain';
import { IsDuration, OptionalNotNull } from '../../http/validators';
import { durationSchema } from '../../openapi/openapi-schemas';

export class RotateTokenRequest {
  @ApiPropertyOptional(durationSchema('How long the old token keeps working: 0 ends it now, at most 30d; 24h when left out', '24h'))
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_GRACE_PERIOD_SECONDS })
  gracePeriod?: string | number;

  @ApiPropertyOptional(durationSchema("New token's lifetime, at most 100y; by default it keeps the old token's expiry"))
  @OptionalNotNull()
  @IsDuration({ maxSeconds: MAX_LIFETIME_SECONDS })
  expiresIn?: string | number;
}
