import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ReminderHealth } from '../reminders/reminder.health';
import { LedgerHealth } from './ledger.health';

@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly ledger: LedgerHealth,
    private readonly reminders: ReminderHealth,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** The store answers, the read model is close enough to the head, reminders run (and Redis answers when used). */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.ledger.eventStore(), () => this.ledger.projection(), () => this.reminders.check()]);
  }
}
