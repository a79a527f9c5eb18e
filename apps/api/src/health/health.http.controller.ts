import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ReminderHealth } from '../reminders/reminder.health';
import { LedgerHealth } from './ledger.health';
import { ShutdownHealth } from './shutdown.health';

@ApiTags('health')
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly ledger: LedgerHealth,
    private readonly reminders: ReminderHealth,
    private readonly shutdown: ShutdownHealth,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /**
   * Not shutting down, the store answers, the read model and the verification index are close
   * enough to the head, reminders run (and Redis answers when used).
   */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([() => this.shutdown.check(), () => this.ledger.eventStore(), () => this.ledger.projection(), () => this.reminders.check()]);
  }
}
