import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { AuditFilterRequest } from '../audit-filter.request.dto';

export class AuditExportRequest extends AuditFilterRequest {
  @ApiPropertyOptional({ enum: ['ndjson', 'csv'], description: 'Overrides the Accept header (default ndjson)' })
  @IsOptional()
  @IsIn(['ndjson', 'csv'])
  format?: 'ndjson' | 'csv';
}
