import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { CONSOLE_PATH, ConsoleRoutes } from './console.routes';

/**
 * One line on stderr naming where the console is, so a first-time user can open it. stderr: stdout
 * carries the one-time root token line that scripts read.
 */
export function announceConsole(app: NestFastifyApplication): void {
  const address = app.getHttpServer().address() as AddressInfo | null;
  if (!address || typeof address === 'string') return;
  const host = address.address === '0.0.0.0' || address.address === '::' ? 'localhost' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}${CONSOLE_PATH}`;
  const built = app.get(ConsoleRoutes).built;
  process.stderr.write(built ? `Console: ${url}\n` : `Console not built (npm run build): ${url} answers 503\n`);
}
