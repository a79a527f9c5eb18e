import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthHttpController } from './health.http.controller';
import { ReminderHealth } from '../reminders/reminder.health';
import { LedgerHealth } from './ledger.health';
import { ShutdownHealth } from './shutdown.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthHttpController],
  providers: [LedgerHealth, ReminderHealth, ShutdownHealth],
})
export class HealthModule {}
