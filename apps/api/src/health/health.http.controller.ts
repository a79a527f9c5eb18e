import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ApiErrors } from '../openapi/api-errors.decorator';
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
  // Above @HealthCheck: replaces its 503 (the health shape), as the error filter answers in the error shape.
  @ApiErrors([503], { 503: 'Shutting down' })
  @HealthCheck()
  @ApiOperation({ operationId: 'getLiveness', summary: 'The process is up', security: [] })
  live() {
    return this.health.check([]);
  }

  /**
   * Not shutting down, the store answers, the read model and the verification index are close
   * enough to the head, reminders run (and Redis answers when used).
   */
  @Get('ready')
  @ApiErrors([503], { 503: 'Not ready: details name the dependency that is down' })
  @HealthCheck()
  @ApiOperation({ operationId: 'getReadiness', summary: 'Store, read model, reminders (and Redis) are ready', security: [] })
  ready() {
    return this.health.check([() => this.shutdown.check(), () => this.ledger.eventStore(), () => this.ledger.projection(), () => this.reminders.check()]);
  }
}
