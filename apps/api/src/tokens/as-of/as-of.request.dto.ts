import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsInstant } from '../../http/validators';

export class AsOfRequest {
  @ApiPropertyOptional({ format: 'date-time', description: 'Answer from a replay of the history that took effect at or before this instant' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}
