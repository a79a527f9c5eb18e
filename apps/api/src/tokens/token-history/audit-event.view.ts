import { ApiProperty } from '@nestjs/swagger';
import type { RecordedEvent } from '@ledger/event-store';

/** A recorded event as auditors see it: exactly what the store holds, hash chain included. */
export class AuditEventView {
  @ApiProperty({ description: 'Event id (uuid); part of the hash chain' }) id: string;
  @ApiProperty() position: number;
  @ApiProperty({ example: 'token-tok_4TQhc1mbkVyTr3Lw0XkC9a' }) streamId: string;
  @ApiProperty() revision: number;
  @ApiProperty({ example: 'TokenCreated' }) type: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) recordedAt: string;
}

export class AuditEventPage {
  @ApiProperty({ type: [AuditEventView] }) items: AuditEventView[];
}

export class TokenHistoryPage extends AuditEventPage {
  @ApiProperty({
    description:
      'true when the caller lacks audit:read: metadata ip/userAgent and data secretHash/lastIp/lastUserAgent/clientAddress are left out (the hash chain then cannot be checked from this page)',
  })
  redacted: boolean;
}

export const toAuditEvent = (e: RecordedEvent): AuditEventView => ({
  id: e.id,
  position: e.position,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  data: e.data,
  metadata: e.metadata,
  recordedAt: e.recordedAt,
});
