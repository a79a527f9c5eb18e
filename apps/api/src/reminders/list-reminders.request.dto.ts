import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PROJECT_ID_PATTERN } from '@ledger/token-domain';

export const REMINDER_STATUSES = ['pending', 'sent', 'failed', 'cancelled'] as const;
export type ReminderListStatus = (typeof REMINDER_STATUSES)[number];

export class ListRemindersRequest {
  @ApiPropertyOptional({ description: "the project (default: the caller's own; any with a root token)" })
  @IsOptional()
  @Matches(PROJECT_ID_PATTERN, { message: 'projectId must match ^[a-z0-9][a-z0-9-]{0,62}$' })
  projectId?: string;

  @ApiPropertyOptional({ enum: REMINDER_STATUSES, description: 'failed = dead letters after the last attempt' })
  @IsOptional()
  @IsIn(REMINDER_STATUSES)
  status?: ReminderListStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
