import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { EventStore } from '@ledger/event-store';
import { exportAuditLog, type ExportFormat } from '@ledger/projections';
import type { Caller } from '../../credentials/caller';
import { CurrentCaller } from '../../auth/current-caller.decorator';
import { RequireScope } from '../../auth/require-scope.decorator';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { EVENT_STORE } from '../../store/ledger-store.tokens';
import { auditProject } from '../audit-scope';
import { toAuditFilter } from '../audit-filter.request.dto';
import { AuditExportRequest } from './audit-export.request.dto';

const CONTENT_TYPES: Record<ExportFormat, string> = { ndjson: 'application/x-ndjson', csv: 'text/csv; charset=utf-8' };

/** `?format=` wins; otherwise CSV when the client accepts it and not ndjson, else ndjson. */
function chooseFormat(format: ExportFormat | undefined, accept: string | undefined): ExportFormat {
  if (format) return format;
  const wanted = (accept ?? '').toLowerCase();
  return wanted.includes('text/csv') && !wanted.includes('application/x-ndjson') ? 'csv' : 'ndjson';
}

/**
 * Streams the filtered log; the next page is read only once the socket has taken the one before
 * (one page read ahead at most), so memory stays flat for any size. The last line (a trailer) gives the count and the chain head.
 */
@ApiTags('audit')
@Controller('v1/audit/export')
export class AuditExportHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @RequireScope('audit:read')
  @ApiOperation({ operationId: 'exportAuditLog', summary: 'Stream the filtered audit log as NDJSON or CSV' })
  @ApiErrors([400])
  // Content per response, not @ApiProduces: the errors are JSON.
  @ApiOkResponse({
    content: { [CONTENT_TYPES.ndjson]: { schema: { type: 'string' } }, 'text/csv': { schema: { type: 'string' } } },
    description: 'One event per line, then a trailer line {"trailer":{format,count,lastPosition,head,storeHead}} (in CSV: "# " + that JSON)',
  })
  async export(
    @CurrentCaller() caller: Caller,
    @Query() query: AuditExportRequest,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter = toAuditFilter(query, auditProject(caller, query.projectId));
    const format = chooseFormat(query.format, accept);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    await reply
      .header('content-type', CONTENT_TYPES[format])
      .header('content-disposition', `attachment; filename="ledger-audit-${stamp}.${format}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(exportAuditLog(this.store, filter, format), { highWaterMark: 1 }));
  }
}
