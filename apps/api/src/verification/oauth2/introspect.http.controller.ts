import { Body, Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenIndex } from '@ledger/projections';
import { SYSTEM_PROJECT } from '@ledger/token-domain';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { SECURITY_SCHEMES } from '../../openapi/openapi-schemas';
import { VerificationService } from '../verification.service';
import { oauthParams } from './form-body';
import { InactiveToken, IntrospectionResponse, OAuthTokenForm } from './introspection.view';
import { introspectionCaller } from './oauth-caller';

const INACTIVE = { active: false } as const;
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);
/** The route template, the verification metrics' label. */
const INTROSPECT_ROUTE = '/oauth2/introspect';

/**
 * RFC 7662 token introspection. Every failure about the presented token answers exactly
 * `{"active": false}` (§2.2: never say why); a caller without valid credentials gets 401
 * (§2.1) with the same body, so that clients that read only the body still see "inactive".
 * Only the caller's own credential counts toward its brute-force bucket, never the token asked about.
 */
@ApiTags('oauth2')
@Controller(INTROSPECT_ROUTE.slice(1))
@SkipThrottle()
export class IntrospectHttpController {
  constructor(
    private readonly verification: VerificationService,
    private readonly index: TokenIndex,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'introspectToken', summary: 'RFC 7662 introspection (the caller needs introspect)' })
  @ApiSecurity(SECURITY_SCHEMES.bearer)
  @ApiSecurity(SECURITY_SCHEMES.oauthClient)
  @ApiBody({ type: OAuthTokenForm })
  @ApiOkResponse({ type: IntrospectionResponse, description: 'The token, or {active: false} for any token that is not active' })
  @ApiUnauthorizedResponse({ type: InactiveToken, description: 'No valid caller credentials' })
  @ApiForbiddenResponse({ type: InactiveToken, description: 'A valid caller token without introspect' })
  @ApiErrors([413, 415, 429])
  async introspect(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const form = oauthParams(body);
    const introspector = introspectionCaller(request, form, this.index);
    if (introspector.kind === 'invalid') {
      await this.verification.failedCredential(request, introspector.guess);
      void reply.status(401).header('www-authenticate', 'Bearer error="invalid_token"');
      return INACTIVE;
    }
    if (introspector.kind === 'lacks_scope') {
      // A valid token without the scope: RFC 6750 §3.1, and never a failed credential.
      void reply.status(403).header('www-authenticate', 'Bearer error="insufficient_scope", scope="introspect"');
      return INACTIVE;
    }
    const caller = introspector.token;
    if (typeof form.token !== 'string' || form.token.length === 0) return INACTIVE;
    // Root reads every project; any other caller only its own (the others' tokens are "inactive").
    const projectId = caller.projectId === SYSTEM_PROJECT && caller.scopes.includes('root') ? undefined : caller.projectId;
    const result = await this.verification.inspect(request, INTROSPECT_ROUTE, form.token, { projectId });
    if (!result.valid) return INACTIVE;
    const t = result.token;
    // An access token is answered as its parent, with its own scope, lifetime and jti.
    const access = result.accessToken;
    if (access) {
      return {
        active: true,
        scope: t.scopes.join(' '),
        client_id: t.projectId,
        sub: t.ownerId ?? t.id,
        token_type: 'Bearer',
        exp: seconds(access.expiresAt),
        iat: seconds(access.issuedAt),
        jti: access.jti,
      };
    }
    return {
      active: true,
      scope: t.scopes.join(' '),
      client_id: t.projectId,
      sub: t.ownerId ?? t.id,
      token_type: 'Bearer',
      ...(t.expiresAt ? { exp: seconds(t.expiresAt) } : {}),
      iat: seconds(t.createdAt),
      jti: t.id,
    };
  }
}
