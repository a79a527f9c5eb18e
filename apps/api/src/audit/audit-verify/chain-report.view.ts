import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ChainBreakView {
  @ApiProperty() position: number;
  @ApiProperty() eventId: string;
  @ApiProperty() streamId: string;
  @ApiProperty() revision: number;
  @ApiProperty() type: string;
  @ApiProperty({ description: 'What does not match, e.g. a changed event or a missing link' }) reason: string;
  @ApiProperty() message: string;
}

export class AnchorCheckView {
  @ApiProperty() position: number;
  @ApiProperty() head: string;
  @ApiProperty({ nullable: true, type: String, description: 'The head recomputed now; null when no checked event sits at position' }) actual: string | null;
  @ApiProperty() ok: boolean;
}

/** GET /v1/audit/verify: the hash chains recomputed from the store (ChainReport). */
export class ChainReportView {
  @ApiProperty() ok: boolean;
  @ApiProperty() streams: number;
  @ApiProperty() events: number;
  @ApiProperty({ description: 'Position of the last event checked (0 when none)' }) lastPosition: number;
  @ApiProperty({ description: 'Digest of every checked event hash in order' }) head: string;
  @ApiProperty({ type: [ChainBreakView], description: 'The first breaks, by position' }) broken: ChainBreakView[];
  @ApiProperty({ description: 'All breaks found' }) brokenCount: number;
  @ApiPropertyOptional({ type: AnchorCheckView, description: 'The check of a head recorded earlier, when one was given' }) anchor?: AnchorCheckView;
}
