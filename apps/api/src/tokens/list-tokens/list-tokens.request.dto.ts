import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsInstant, PageLimit } from '../../http/validators';

export const TOKEN_ORDERS = ['name', 'createdAt', 'lastUsedAt', 'expiresAt'] as const;
export const TOKEN_STATUSES = ['active', 'revoked', 'expired', 'all'] as const;

export class ListTokensRequest {
  @ApiPropertyOptional({ enum: ['project', 'integration', 'personal', 'root'] })
  @IsOptional()
  @IsIn(['project', 'integration', 'personal', 'root'])
  type?: string;

  @ApiPropertyOptional({ enum: TOKEN_STATUSES, default: 'all' })
  @IsOptional()
  @IsIn(TOKEN_STATUSES)
  status?: (typeof TOKEN_STATUSES)[number];

  @ApiPropertyOptional({ enum: TOKEN_ORDERS, default: 'createdAt' })
  @IsOptional()
  @IsIn(TOKEN_ORDERS)
  order?: (typeof TOKEN_ORDERS)[number];

  @ApiPropertyOptional({ enum: ['ASC', 'DESC'], default: 'ASC' })
  @IsOptional()
  @IsIn(['ASC', 'DESC'])
  direction?: 'ASC' | 'DESC';

  @PageLimit(200, 50)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  cursor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Answer from a replay of the history that took effect at or before this instant' })
  @IsOptional()
  @IsInstant()
  asOf?: string;
}
