import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { LedgerConfig } from '@ledger/config';
import { AppModule, type AppOptions } from './app.module';
import { withQuietStartup } from './bootstrap/start-line';
import { sendFrameworkError } from './http/framework-errors';
import { registerJsonBodyParser } from './http/json-body';
import { LEDGER_LOGGER, registerAccessLog } from './http/logging';
import { LedgerMetrics } from './metrics/ledger-metrics';
import { registerRequestMetrics } from './metrics/request-metrics.hook';
import { requestId } from './http/request-id';
import { registerOAuthFormParser } from './verification/oauth2/form-body';
import { createOpenApiDocument } from './ledger-openapi';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The configured application, not yet listening: main.ts listens, tests pick a free port. */
export async function createLedgerApp(config: LedgerConfig, options: AppOptions = {}): Promise<NestFastifyApplication> {
  const { trustedProxies } = config.verification;
  const { http } = config;
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Without these a client sending its body a byte a minute holds a socket (and a descriptor)
    // for ever: the request as a whole, then any silent socket, get a deadline.
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.idleTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Node looks for expired requests every connectionsCheckingInterval (30 s by default).
    http: { headersTimeout: http.requestTimeoutMs, requestTimeout: http.requestTimeoutMs, connectionsCheckingInterval: 1000 },
    genReqId: requestId,
    requestIdHeader: false,
    // X-Forwarded-For is believed only from these peers (TRUSTED_PROXIES); request.ip is then the end client.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    // No Nest middleware is applied anywhere (nestjs-pino's has no routes: see app.module.ts), so
    // @fastify/middie would only add a hook to every request, the verification hot path too.
    skipMiddie: true,
    frameworkErrors: sendFrameworkError,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, options), adapter, {
    bufferLogs: true,
    // A failed start rejects, and its stack is not printed from the buffer: main.ts says it in
    // one line and exits 1 (instead of Nest's own exit). The buffer is flushed below on success.
    abortOnError: false,
    autoFlushLogs: false,
    // Fastify's own JSON parser stays; Nest's would add a form parser for every route (see form-body.ts).
    bodyParser: false,
  });
  app.useLogger(withQuietStartup(app.get(Logger)));
  app.flushLogs();
  // No enableShutdownHooks: main.ts drains on SIGTERM before closing (graceful-shutdown.ts).

  const fastify = app.getHttpAdapter().getInstance();
  // Beyond this, connections are closed as they are accepted: the process keeps descriptors for
  // its files and for the connections it serves.
  fastify.server.maxConnections = http.maxConnections;
  // The API speaks JSON only: anything else is a 415, not a string handed to validation.
  fastify.removeContentTypeParser(['text/plain']);
  registerJsonBodyParser(fastify);
  registerOAuthFormParser(fastify);
  // A callback hook, not an async one: it runs on every request, the verification hot path too,
  // and an async hook costs a promise (and its async-hook bookkeeping) each time.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  registerAccessLog(fastify, app.get(LEDGER_LOGGER));
  // Before any route is added (Nest adds its own at listen/init, Swagger below): see the hook.
  registerRequestMetrics(fastify, app.get(LedgerMetrics));

  SwaggerModule.setup('docs', app, createOpenApiDocument(app), { jsonDocumentUrl: 'openapi.json' });
  return app;
}
