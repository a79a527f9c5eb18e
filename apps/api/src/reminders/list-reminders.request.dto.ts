import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PROJECT_ID_PATTERN } from '@ledger/token-domain';
import { PageLimit } from '../http/validators';

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

  @PageLimit(1000, 100)
  limit?: number;
}
