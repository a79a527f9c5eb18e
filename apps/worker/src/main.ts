import { pino } from 'pino';
import { ConfigError, loadConfig, type LedgerConfig } from '@ledger/config';
import { redactTokenValues } from '@ledger/token-domain';
import { startReminderWorker } from './reminder-worker';

/** `npm run start:worker`: the BullMQ reminder worker. SIGTERM lets running deliveries finish. */
async function main(): Promise<void> {
  let config: LedgerConfig;
  try {
    config = loadConfig();
    if (!config.redisUrl) throw new ConfigError('REDIS_URL', 'must be set for the worker (without Redis, `npm start` sends reminders in-process)');
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // As the API's logger: no line leaves with a token-shaped value in it.
  const logger = pino({ level: config.logLevel, hooks: { streamWrite: redactTokenValues } });
  let worker: Awaited<ReturnType<typeof startReminderWorker>>;
  try {
    worker = await startReminderWorker(config, logger);
  } catch (error) {
    // A locked data directory, a damaged file, a store away: one line and status 1, never a stack.
    process.stderr.write(`Token Ledger worker could not start: ${(error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(1);
  }
  logger.info('reminder worker started');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'reminder worker stopping');
    worker.stop().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err }, 'reminder worker did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
