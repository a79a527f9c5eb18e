import 'reflect-metadata';
import { ConfigError, loadConfig } from '@ledger/config';
import { createLedgerApp } from './app.factory';
import { closeGracefully } from './bootstrap/graceful-shutdown';
import { startLine } from './bootstrap/start-line';
import { warnIfConsoleNotBuilt } from './console/console-url';

let started = false;

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createLedgerApp(config);
  await app.listen({ port: config.port, host: config.host });
  started = true;
  process.stdout.write(startLine(app) + '\n');
  warnIfConsoleNotBuilt(app);
  closeGracefully(app, config.http.shutdownDrainMs);
}

/** Any fault before the port is open ends the start: one line on stderr, exit status 1. */
function failStart(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const line = error instanceof ConfigError ? message : `Token Ledger could not start: ${message}`;
  process.stderr.write(`${line.replace(/\s*\n\s*/g, ' ')}\n`);
  process.exit(1);
}

// A start awaiting something that never settles would otherwise end with status 0 and no word.
process.once('beforeExit', () => {
  if (!started) failStart(new Error('the start stopped before the port was open (see the log above)'));
});

main().catch(failStart);
