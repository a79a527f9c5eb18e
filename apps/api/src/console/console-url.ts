import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { listeningUrl } from '../bootstrap/start-line';
import { CONSOLE_PATH, ConsoleRoutes } from './console.routes';

/**
 * The start line names the console; when this install has no console bundle (a server build
 * without `npm run build`'s console step), one line on stderr says why its address answers 503.
 */
export function warnIfConsoleNotBuilt(app: NestFastifyApplication): void {
  const address = app.getHttpServer().address() as AddressInfo | null;
  if (!address || typeof address === 'string' || app.get(ConsoleRoutes).built) return;
  process.stderr.write(`Console not built (npm run build): ${listeningUrl(address)}${CONSOLE_PATH} answers 503\n`);
}
