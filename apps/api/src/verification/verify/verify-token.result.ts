import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class VerifyTokenResult {
  @ApiProperty() valid: boolean;
  @ApiPropertyOptional({ enum: ['malformed', 'not_found', 'revoked', 'expired', 'insufficient_scope', 'wrong_project'] }) code?: string;
  @ApiPropertyOptional() tokenId?: string;
  @ApiPropertyOptional() projectId?: string;
  @ApiPropertyOptional({ enum: ['project', 'integration', 'personal', 'root'] }) type?: string;
  @ApiPropertyOptional({ nullable: true, type: String }) ownerId?: string | null;
  @ApiPropertyOptional({ type: [String] }) scopes?: string[];
  @ApiPropertyOptional({ format: 'date-time', nullable: true, type: String, description: 'End of validity (a rotated token: end of its grace)' })
  expiresAt?: string | null;
}
