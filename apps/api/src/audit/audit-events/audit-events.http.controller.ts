import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '@ledger/event-store';
import { readAuditPage } from '@ledger/projections';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { AuditEventView, toAuditEvent } from '../../tokens/token-history/audit-event.view';
import { auditProject } from '../audit-scope';
import { toAuditFilter } from '../audit-filter.request.dto';
import { AuditEventsRequest } from './audit-events.request.dto';

export class AuditEventsPage {
  @ApiProperty({ type: [AuditEventView] }) items: AuditEventView[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `after` for the next page; null at the end of the log' })
  next: number | null;
}

/** The log in global order, read through the event store port (so every adapter serves it). */
@ApiTags('audit')
@Controller('v1/audit/events')
export class AuditEventsHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @RequireScope('audit:read')
  @ApiOperation({ operationId: 'listAuditEvents', summary: 'Page through the audit log in global order' })
  @ApiErrors([400])
  @ApiOkResponse({ type: AuditEventsPage })
  async list(@CurrentCaller() caller: Caller, @Query() query: AuditEventsRequest): Promise<AuditEventsPage> {
    const filter = toAuditFilter(query, auditProject(caller, query.projectId));
    const page = await readAuditPage(this.store, filter, { after: query.after ?? 0, limit: query.limit ?? 100 });
    return { items: page.items.map(toAuditEvent), next: page.next };
  }
}
