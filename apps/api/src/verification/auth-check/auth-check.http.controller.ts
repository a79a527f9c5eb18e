import { All, Controller, HttpCode, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiOkResponse, ApiQuery, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { presentedToken } from '../../auth/credentials';
import { SCOPE_PATTERN } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';
import { VerificationService } from '../verification.service';

const list = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v.length > 0);

const unauthorized = (code: string, message: string) =>
  new ApiError(401, code, message, undefined, { 'www-authenticate': `Bearer error="invalid_token", error_description="${code}"` });

/**
 * Forward-auth for gateways (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz HTTP):
 * any method, so the gateway may pass the original one through. 200 with the token's identity
 * in headers for the upstream; 401/403 with WWW-Authenticate (RFC 6750 §3) otherwise.
 */
@ApiTags('verification')
@Controller('v1/auth/check')
@SkipThrottle()
export class AuthCheckHttpController {
  constructor(private readonly verification: VerificationService) {}

  @All()
  @HttpCode(200)
  @ApiQuery({ name: 'scope', required: false, isArray: true, description: 'Scopes the token must all hold (repeatable)' })
  @ApiQuery({ name: 'projectId', required: false, description: 'The project the token must belong to' })
  @ApiOkResponse({ description: 'Allowed; headers X-Token-Id, X-Token-Project, X-Token-Type, X-Token-Scopes (space-separated), X-Token-Owner (personal tokens)' })
  @ApiUnauthorizedResponse({ description: 'No token, or a malformed, unknown, revoked or expired one' })
  @ApiForbiddenResponse({ description: 'A valid token lacking a scope, or of another project' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed credentials from this end client (Retry-After)' })
  async check(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const value = presentedToken(request.headers);
    if (!value) {
      throw new ApiError(401, 'missing_credentials', 'send a token as Authorization: Bearer <token>, Auth-token or X-API-Key', undefined, {
        'www-authenticate': 'Bearer realm="token-ledger"',
      });
    }
    const query = request.query as Record<string, unknown>;
    const projectId = typeof query.projectId === 'string' ? query.projectId : undefined;
    const result = await this.verification.verify(request, value, { scopes: list(query.scope), projectId });
    if (!result.valid) {
      if (result.code === 'insufficient_scope' || result.code === 'wrong_project') {
        const scope = (list(query.scope) ?? []).filter((s) => SCOPE_PATTERN.test(s)).join(' ');
        throw new ApiError(403, result.code, `the token is valid but ${result.code === 'wrong_project' ? 'of another project' : 'lacks a required scope'}`, undefined, {
          'www-authenticate': `Bearer error="insufficient_scope", scope="${scope}"`,
        });
      }
      throw unauthorized(result.code, `the token is ${result.code.replace('_', ' ')}`);
    }
    const t = result.token;
    reply.header('x-token-id', t.id).header('x-token-project', t.projectId).header('x-token-type', t.type).header('x-token-scopes', t.scopes.join(' '));
    if (t.ownerId) reply.header('x-token-owner', t.ownerId);
  }
}
