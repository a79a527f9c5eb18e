import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { tokenStatus, type TokenRow, type TokenStatus } from '@ledger/projections';

/** What the API shows of a token: never its value, never its hash. */
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

export function toTokenView(row: TokenRow, now = new Date()): TokenView {
  return {
    id: row.id,
    projectId: row.projectId,
    name: row.name,
    type: row.type,
    ownerId: row.ownerId,
    scopes: row.scopes,
    metadata: row.metadata,
    hint: row.hint,
    status: tokenStatus(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    useCount: row.useCount,
    revokedAt: row.revokedAt,
    revokeReason: row.revokeReason,
    rotatedFrom: row.rotatedFrom,
    rotatedTo: row.rotatedTo,
  };
}

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
