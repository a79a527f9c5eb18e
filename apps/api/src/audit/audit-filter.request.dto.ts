import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { parseInstant, PROJECT_ID_PATTERN, SYSTEM_PROJECT, TOKEN_ID_PATTERN } from '@ledger/token-domain';
import type { AuditFilter } from '@ledger/projections';
import { IsInstant } from '../http/validators';

const PROJECT_OR_SYSTEM = new RegExp(`^(${SYSTEM_PROJECT}|${PROJECT_ID_PATTERN.source.slice(1, -1)})$`);

/** The filters every audit read takes (docs/audit.md, "Audit API"). */
export class AuditFilterRequest {
  @ApiPropertyOptional({ example: 'shop', description: "Defaults to the caller's project; other projects need root" })
  @IsOptional()
  @Matches(PROJECT_OR_SYSTEM, { message: 'projectId must match ^[a-z0-9][a-z0-9-]{0,62}$ (or be _system)' })
  projectId?: string;

  @ApiPropertyOptional({ example: 'tok_4TQhc1mbkVyTr3Lw0XkC9a', description: "Events of this token's stream" })
  @IsOptional()
  @Matches(TOKEN_ID_PATTERN, { message: 'tokenId must be a token id (tok_…)' })
  tokenId?: string;

  @ApiPropertyOptional({ example: 'TokenCreated,TokenRevoked', description: 'Event type, or several separated by commas' })
  @IsOptional()
  @Matches(/^[A-Za-z]{1,64}(,[A-Za-z]{1,64}){0,15}$/, { message: 'type must be event types separated by commas' })
  type?: string;

  @ApiPropertyOptional({ example: 'token:tok_4TQhc1mbkVyTr3Lw0XkC9a', description: 'Actor id, or type:id' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  actor?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded at or after (inclusive)' })
  @IsOptional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Recorded before (exclusive)' })
  @IsOptional()
  @IsInstant()
  to?: string;
}

export function toAuditFilter(request: AuditFilterRequest, projectId: string | undefined): AuditFilter {
  return {
    projectId,
    tokenId: request.tokenId,
    types: request.type?.split(','),
    actor: request.actor,
    // Checked by IsInstant: the same parser cannot answer null here.
    from: request.from ? (parseInstant(request.from) as Date) : undefined,
    to: request.to ? (parseInstant(request.to) as Date) : undefined,
  };
}
