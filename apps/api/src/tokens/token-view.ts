import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { TokenStatus } from '@ledger/projections';

/** What the API shows of a token (the shape of @ledger/tokens' TokenView, documented for OpenAPI). */
export class TokenView {
  @ApiProperty({ example: 'tok_4TQhc1mbkVyTr3Lw0XkC9a' }) id: string;
  @ApiProperty({ example: 'shop' }) projectId: string;
  @ApiProperty({ example: 'billing sync' }) name: string;
  @ApiProperty({ enum: ['project', 'integration', 'personal', 'root'] }) type: string;
  @ApiProperty({ nullable: true, type: String }) ownerId: string | null;
  @ApiProperty({ type: [String], example: ['orders:read'] }) scopes: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata: Record<string, unknown>;
  @ApiProperty({ example: 'tli_…Ab3x' }) hint: string;
  @ApiProperty({ enum: ['active', 'revoked', 'expired'] }) status: TokenStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastUsedAt: string | null;
  @ApiProperty() useCount: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) revokeReason: string | null;
  @ApiProperty({ nullable: true, type: String }) rotatedFrom: string | null;
  @ApiProperty({ nullable: true, type: String }) rotatedTo: string | null;
}

export { toTokenView } from '@ledger/tokens';

export class IssuedToken {
  @ApiProperty({ type: TokenView }) token: TokenView;
  @ApiProperty({ description: 'The secret value. Shown only in this response.', example: 'tli_…' }) value: string;
}

export class PreviousToken {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'End of the grace period' })
  expiresAt: string | null;
}

export class RotatedToken extends IssuedToken {
  @ApiProperty({ type: PreviousToken }) previous: PreviousToken;
}

export class TokenPageView {
  @ApiProperty({ type: [TokenView] }) items: TokenView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor: string | null;
}
