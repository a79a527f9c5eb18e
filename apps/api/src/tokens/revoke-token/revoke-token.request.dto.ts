import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { NoTokenValue } from '../../http/validators';

export class RevokeTokenQuery {
  @ApiPropertyOptional({ maxLength: 500, example: 'leaked in a CI log' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  @NoTokenValue()
  reason?: string;
}
