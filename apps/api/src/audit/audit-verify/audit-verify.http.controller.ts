import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiPropertyOptional, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Min, ValidateIf } from 'class-validator';
import { verifyEventStore, type ChainReport, type EventStore } from '@ledger/event-store';
import { PROJECT_ID_PATTERN, SYSTEM_PROJECT } from '@ledger/token-domain';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { auditProject } from '../audit-scope';
import { ChainReportView } from './chain-report.view';

export class AuditVerifyRequest {
  @ApiPropertyOptional({ description: "Only this project's streams (root: all when absent)" })
  @IsOptional()
  @Matches(new RegExp(`^(${SYSTEM_PROJECT}|${PROJECT_ID_PATTERN.source.slice(1, -1)})$`), { message: 'projectId must match ^[a-z0-9][a-z0-9-]{0,62}$' })
  projectId?: string;

  @ApiPropertyOptional({ description: 'A head recorded earlier (an export trailer, a previous verify), checked at `position`' })
  @ValidateIf((o: AuditVerifyRequest) => o.head !== undefined || o.position !== undefined)
  @Matches(/^[0-9a-f]{64}$/, { message: 'head must be 64 lowercase hex characters, given together with position' })
  head?: string;

  @ApiPropertyOptional({ description: 'The position the recorded head was taken at' })
  @ValidateIf((o: AuditVerifyRequest) => o.head !== undefined || o.position !== undefined)
  @Type(() => Number)
  @IsInt({ message: 'position must be an integer, given together with head' })
  @Min(1)
  position?: number;
}

/** Recomputes every stream's hash chain from the store, naming the first broken event. */
@ApiTags('audit')
@Controller('v1/audit/verify')
export class AuditVerifyHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @RequireScope('audit:read')
  @ApiOperation({ operationId: 'verifyAuditLog', summary: "Recompute every stream's hash chain" })
  @ApiErrors([400])
  @ApiOkResponse({ type: ChainReportView })
  verify(@CurrentCaller() caller: Caller, @Query() query: AuditVerifyRequest): Promise<ChainReport> {
    const projectId = auditProject(caller, query.projectId);
    const anchor = query.head !== undefined && query.position !== undefined ? { head: query.head, position: query.position } : undefined;
    return verifyEventStore(this.store, projectId === undefined ? undefined : (e) => e.data.projectId === projectId, anchor);
  }
}
