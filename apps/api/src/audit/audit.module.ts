import { Module } from '@nestjs/common';
import { CallerGuard } from '../auth/caller.guard';
import { AuditEventsHttpController } from './audit-events/audit-events.http.controller';
import { AuditExportHttpController } from './audit-export/audit-export.http.controller';
import { AuditVerifyHttpController } from './audit-verify/audit-verify.http.controller';

/** The compliance view of the ledger: the log itself, filtered, exported and verified. */
@Module({
  controllers: [AuditEventsHttpController, AuditExportHttpController, AuditVerifyHttpController],
  providers: [CallerGuard],
})
export class AuditModule {}
