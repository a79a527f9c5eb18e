import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';

/**
 * LEDGER_URL (required), LEDGER_PROJECT (default shop), CACHE_TTL_MS (default 5000), PORT (default 4000; 0 = any free one),
 * LEDGER_ISSUER (the ledger's ACCESS_TOKEN_ISSUER; set: its access tokens are verified offline).
 */
async function main(): Promise<void> {
  const ledgerUrl = process.env.LEDGER_URL;
  if (!ledgerUrl) throw new Error('LEDGER_URL is required, e.g. http://localhost:3000');
  const config = {
    ledgerUrl,
    projectId: process.env.LEDGER_PROJECT ?? 'shop',
    cacheTtlMs: Number(process.env.CACHE_TTL_MS ?? 5000),
    accessTokenIssuer: process.env.LEDGER_ISSUER || undefined,
  };
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), { logger: ['error', 'warn'] });
  await app.listen({ port: Number(process.env.PORT ?? 4000), host: process.env.HOST ?? '127.0.0.1' });
  const { port } = app.getHttpServer().address() as { port: number };
  process.stdout.write(`consumer-service listening on http://${process.env.HOST ?? '127.0.0.1'}:${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`consumer-service failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
