import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PageLimit } from '../../http/validators';
import { AuditFilterRequest } from '../audit-filter.request.dto';

export class AuditEventsRequest extends AuditFilterRequest {
  @ApiPropertyOptional({ description: '`next` of the previous page: events after this position' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @PageLimit(1000, 100)
  limit?: number;
}
