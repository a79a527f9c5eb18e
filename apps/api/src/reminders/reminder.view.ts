import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REMINDER_STATUSES, type ReminderListStatus } from './list-reminders.request.dto';

/** A reminder as admins see it: pending, sent, failed (a dead letter) or cancelled. */
export class ReminderView {
  @ApiProperty({ example: 'tok_4TQhc1mbkVyTr3Lw0XkC9a.expiry_warning.1767225600' }) id: string;
  @ApiProperty() tokenId: string;
  @ApiProperty() projectId: string;
  @ApiProperty({ enum: ['expiry_warning', 'expired', 'rotation_due'] }) kind: string;
  @ApiProperty({ format: 'date-time' }) due: string;
  @ApiProperty({ enum: REMINDER_STATUSES }) status: ReminderListStatus;
  @ApiProperty({ nullable: true, type: String, example: 'webhook' }) channel: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) deliveredAt: string | null;
  @ApiProperty({ nullable: true, type: Number }) attempt: number | null;
  @ApiPropertyOptional({ description: 'Why the last attempt failed (failed only)' }) error?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When it became a dead letter (failed only)' }) failedAt?: string;
}

export class ReminderPage {
  @ApiProperty({ type: [ReminderView] }) items: ReminderView[];
}

export class RetriedReminder {
  @ApiProperty() id: string;
  @ApiProperty({ enum: ['retrying'] }) status: 'retrying';
}
