import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MAX_GRACE_PERIOD_SECONDS } from '@ledger/token-domain';
import { IsDuration } from '../../http/validators';

export class RotateTokenRequest {
  @ApiPropertyOptional({ description: 'How long the old token keeps working: 0 ends it now, at most 30d', default: '24h' })
  @IsOptional()
  @IsDuration({ maxSeconds: MAX_GRACE_PERIOD_SECONDS })
  gracePeriod?: string | number;

  @ApiPropertyOptional({ description: "New token's lifetime; by default it keeps the old token's expiry", example: '90d' })
  @IsOptional()
  @IsDuration()
  expiresIn?: string | number;
}
