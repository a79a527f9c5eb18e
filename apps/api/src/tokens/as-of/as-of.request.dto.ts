import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

export class AsOfRequest {
  @ApiPropertyOptional({ format: 'date-time', description: 'Answer from a replay of the history that took effect at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  asOf?: string;
}
