import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { sendApiError } from '../http/send-api-error';
import { loadConsoleAssets, type ConsoleAsset } from './console-assets';
import { CONSOLE_HEADERS } from './console-headers';

export const CONSOLE_DIR = Symbol('CONSOLE_DIR');
export const CONSOLE_PATH = '/console/';

/**
 * The web console (apps/console, built by `npm run build` into dist/console) served by the API
 * itself. It is static: everything it shows comes from the public JSON API with the token the
 * user pasted, so these routes need no credentials and hold no data.
 */
@Injectable()
export class ConsoleRoutes implements OnModuleInit {
  private assets: Map<string, ConsoleAsset> | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(CONSOLE_DIR) private readonly dir: string,
  ) {}

  onModuleInit(): void {
    this.assets = loadConsoleAssets(this.dir);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get('/console', (_request, reply) => reply.headers(CONSOLE_HEADERS).redirect(CONSOLE_PATH, 308));
    fastify.get(`${CONSOLE_PATH}*`, (request, reply) => this.serve(request, reply));
  }

  get built(): boolean {
    return this.assets !== null;
  }

  private serve(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    reply.headers(CONSOLE_HEADERS);
    if (this.assets === null) {
      return sendApiError(reply, new ApiError(503, 'console_not_built', 'the console is not built: run npm run build (npm start does it when missing)'));
    }
    const path = (request.params as { '*': string })['*'] || 'index.html';
    const asset = this.assets.get(path);
    if (!asset) return sendApiError(reply, ApiError.notFound('no such console file'));
    // Hashed file names under assets/ never change; index.html must be fetched fresh after an upgrade.
    const cache = path.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store';
    return reply.header('cache-control', cache).type(asset.contentType).send(asset.body);
  }
}
