import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';

/**
 * Set on SIGTERM (graceful-shutdown.ts): readiness answers 503 while the port still serves, so
 * that a load balancer stops sending new requests before the port closes under them.
 */
@Injectable()
export class ShutdownHealth {
  private drainingSince: string | null = null;

  constructor(private readonly indicator: HealthIndicatorService) {}

  drain(): void {
    this.drainingSince ??= new Date().toISOString();
  }

  check() {
    const check = this.indicator.check('shutdown');
    return this.drainingSince ? check.down({ message: 'draining before shutdown', since: this.drainingSince }) : check.up();
  }
}
