import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ShutdownHealth } from '../health/shutdown.health';

/**
 * On SIGTERM or SIGINT: readiness turns 503, requests keep being served for `drainMs` (the load
 * balancer's time to notice), then the app closes (Nest's order: buffered uses flushed, the
 * port closed, the stores closed). A second signal cuts the drain short. Exit 0 once closed, 1 if
 * closing failed.
 */
export function closeGracefully(app: NestFastifyApplication, drainMs: number): void {
  const logger = new Logger('Shutdown');
  let endDrain: (() => void) | undefined;
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      endDrain?.();
      return;
    }
    closing = true;
    app.get(ShutdownHealth).drain();
    logger.log(`${signal}: readiness answers 503; closing in ${drainMs} ms`);
    const drained = new Promise<void>((resolve) => {
      endDrain = resolve;
      setTimeout(resolve, drainMs);
    });
    drained
      .then(() => app.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`Token Ledger did not close cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
