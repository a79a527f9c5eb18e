import 'reflect-metadata';
import { ConfigError, loadConfig, type LedgerConfig } from '@ledger/config';
import { createLedgerApp } from './app.factory';

async function main(): Promise<void> {
  let config: LedgerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  const app = await createLedgerApp(config);
  await app.listen({ port: config.port, host: config.host });
}

void main();
