import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { TokenIndex } from '@ledger/projections';
import { hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { ApiError } from '../../http/api-error';
import { ApiErrors, BODY_ERRORS } from '../../openapi/api-errors.decorator';
import { commandCaller } from '../../credentials/caller';
import { commandContext } from '../../http/request-context';
import { TokenStream } from '../../store/token-stream';
import { VerificationService } from '../verification.service';
import { oauthParams } from './form-body';
import { OAuthTokenForm } from './introspection.view';

/**
 * RFC 7009 revocation. Possession of the token is the authorization (a public client, or
 * someone reporting a leak), so client credentials are not required and are ignored. 200 even
 * for an unknown token (§2.2); unknown values count toward the client's brute-force bucket.
 * Answers only once the revoke is visible to this replica's verifications.
 */
@ApiTags('oauth2')
@Controller('oauth2/revoke')
@SkipThrottle()
export class RevokeHttpController {
  constructor(
    private readonly index: TokenIndex,
    private readonly tokens: TokenStream,
    private readonly verification: VerificationService,
  ) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'revokeTokenByValue', summary: 'RFC 7009 revocation: possession of the token is the authority', security: [] })
  @ApiBody({ type: OAuthTokenForm })
  @ApiErrors([...BODY_ERRORS, 429, 503])
  @ApiOkResponse({ description: 'Revoked, already revoked, or unknown: the answer is the same' })
  async revoke(@Body() body: unknown, @Req() request: FastifyRequest): Promise<void> {
    const form = oauthParams(body);
    if (typeof form.token !== 'string' || form.token.length === 0) {
      throw ApiError.badRequest('invalid_request', 'send the token to revoke as the form parameter token');
    }
    const token = parseTokenValue(form.token) ? this.index.find(hashTokenValue(form.token)) : undefined;
    // A known token is revoked even from a blocked client: revoking a leak must never wait.
    if (!token) return this.verification.failedCredential(request, true);
    if (token.revokedAt) return;
    const caller = { tokenId: token.id, projectId: token.projectId, scopes: token.scopes, expiresAt: token.expiresAt };
    const result = await this.tokens.execute(
      // The token revokes itself: possession is the authority (RFC 7009).
      {
        type: 'RevokeToken',
        data: { caller: commandCaller(caller), tokenId: token.id, projectId: token.projectId, reason: 'revoked through /oauth2/revoke', now: new Date() },
      },
      commandContext(request, caller),
    );
    await this.tokens.viewAfter(result.position, token.projectId, token.id);
  }
}
