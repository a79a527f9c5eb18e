import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SCOPE_PATTERN } from '@ledger/token-domain';
import { presentedToken } from '../credentials/presented-token';
import { ApiError } from '../http/api-error';
import { NOT_ACCESS_LOGGED } from '../http/logging';
import { sendApiError } from '../http/send-api-error';
import { VerificationService } from './verification.service';
import { parseVerifyRequest } from './verify/verify-token.request.dto';

/** The routes every protected request of every service goes through. */
export const HOT_PATHS = { verify: '/v1/tokens/verify', check: '/v1/auth/check' } as const;

const list = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.length > 0);

/**
 * `?scope=` (repeatable) and, for gateways that cannot shape the check's query (Envoy adds
 * headers to it instead), `X-Required-Scopes: a b`.
 */
function requiredScopes(query: unknown, header: string | string[] | undefined): string[] | undefined {
  const fromQuery = list(query);
  const fromHeader = typeof header === 'string' ? header.split(/[\s,]+/).filter((s) => s.length > 0) : undefined;
  return fromHeader ? [...(fromQuery ?? []), ...fromHeader] : fromQuery;
}

/** Owner ids are free text: anything outside printable ASCII would be refused as a header value. */
const headerSafe = (value: string) => (/^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value));

/**
 * Verify and forward-auth as plain Fastify routes: Nest's per-request machinery (router context,
 * guards, pipes, interceptors) and the access log cost more than the verification itself, and
 * these are the calls made once per request of every protected service. Everything else about
 * them (the index, the usage buffer, the brute-force bucket) is the same VerificationService.
 * OpenAPI documents them through verification.openapi.ts.
 */
@Injectable()
export class HotPathRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly verification: VerificationService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Not access-logged: called once per request of every protected service.
    // Each handler is told its route template (the metrics label) here, once, not per request.
    fastify.post(HOT_PATHS.verify, NOT_ACCESS_LOGGED, (request, reply) => this.verify(request, reply));
    fastify.all(HOT_PATHS.check, NOT_ACCESS_LOGGED, (request, reply) => this.check(request, reply, HOT_PATHS.check));
    // Envoy's ext_authz (HTTP) appends the original request's path to the check URL.
    const checkWithPath = `${HOT_PATHS.check}/*`;
    fastify.all(checkWithPath, NOT_ACCESS_LOGGED, (request, reply) => this.check(request, reply, checkWithPath));
  }

  private async verify(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    try {
      const { token, scopes, projectId } = parseVerifyRequest(request.body);
      const result = await this.verification.verify(request, HOT_PATHS.verify, token, { scopes, projectId });
      if (!result.valid) return { valid: false, code: result.code };
      const t = result.token;
      return { valid: true, tokenId: t.id, projectId: t.projectId, type: t.type, ownerId: t.ownerId, scopes: t.scopes, expiresAt: t.expiresAt };
    } catch (error) {
      return sendApiError(reply, error);
    }
  }

  private async check(request: FastifyRequest, reply: FastifyReply, route: string): Promise<unknown> {
    try {
      const value = presentedToken(request.headers);
      if (!value) {
        throw new ApiError(401, 'missing_credentials', 'send a token as Authorization: Bearer <token>, Auth-token or X-API-Key', undefined, {
          'www-authenticate': 'Bearer realm="token-ledger"',
        });
      }
      const query = request.query as Record<string, unknown>;
      const scopes = requiredScopes(query.scope, request.headers['x-required-scopes']);
      const projectId = typeof query.projectId === 'string' ? query.projectId : undefined;
      const result = await this.verification.verify(request, route, value, { scopes, projectId });
      if (!result.valid) {
        if (result.code === 'insufficient_scope' || result.code === 'wrong_project') {
          const scope = (scopes ?? []).filter((s) => SCOPE_PATTERN.test(s)).join(' ');
          throw new ApiError(
            403,
            result.code,
            `the token is valid but ${result.code === 'wrong_project' ? 'of another project' : 'lacks a required scope'}`,
            undefined,
            {
              'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
            },
          );
        }
        throw new ApiError(401, result.code, `the token is ${result.code.replace('_', ' ')}`, undefined, {
          'www-authenticate': `Bearer error="invalid_token", error_description="${result.code}"`,
        });
      }
      const t = result.token;
      reply.header('x-token-id', t.id).header('x-token-project', t.projectId).header('x-token-type', t.type).header('x-token-scopes', t.scopes.join(' '));
      if (t.ownerId) reply.header('x-token-owner', headerSafe(t.ownerId));
      return reply.status(200).send();
    } catch (error) {
      return sendApiError(reply, error);
    }
  }
}
