import { Body, Controller, Header, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../../openapi/api-errors.decorator';
import { SECURITY_SCHEMES } from '../../openapi/openapi-schemas';
import { oauthParams } from '../../verification/oauth2/form-body';
import { presentedCredential } from '../../verification/oauth2/oauth-caller';
import { AccessTokenExchange, ExchangeError } from '../access-token.exchange';
import { AccessTokenResponse, OAuthError } from './access-token.view';
import { requestedScopes } from './requested-scopes';

/**
 * RFC 6749 §4.4, client credentials: the client is a ledger token (client_id = its id,
 * client_secret = its value, by HTTP Basic or client_secret_post), the answer a short-lived
 * access token. Errors are RFC 6749 §5.2 bodies. Each exchange is a durable append, so the
 * admin rate limits apply (per client address: the throttler reads only Bearer credentials), and
 * failed credentials count toward the client's brute-force bucket as everywhere.
 */
@ApiTags('oauth2')
@Controller('oauth2/token')
export class OAuthTokenHttpController {
  constructor(private readonly exchange: AccessTokenExchange) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiOperation({ operationId: 'issueAccessToken', summary: 'RFC 6749 §4.4 client credentials: exchange a ledger token for a short-lived access token' })
  // HTTP Basic, or no header at all: client_secret_post carries the same pair in the form (§2.3.1).
  @ApiSecurity({})
  @ApiSecurity(SECURITY_SCHEMES.oauthClient)
  @ApiBody({
    schema: {
      type: 'object',
      required: ['grant_type'],
      properties: {
        grant_type: { type: 'string', enum: ['client_credentials'] },
        scope: { type: 'string', description: 'Space-separated subset of the token scopes (all of them when absent)' },
        client_id: { type: 'string', description: 'client_secret_post: the token id (not with HTTP Basic)' },
        client_secret: { type: 'string', description: 'client_secret_post: the token value (not with HTTP Basic)' },
      },
    },
  })
  @ApiOkResponse({ type: AccessTokenResponse })
  @ApiBadRequestResponse({ type: OAuthError, description: 'invalid_request, unsupported_grant_type or invalid_scope' })
  @ApiUnauthorizedResponse({ type: OAuthError, description: 'invalid_client: no, unknown, revoked, expired or root credentials (WWW-Authenticate)' })
  @ApiErrors([413, 415, 409, 429, 503], {
    413: 'Form body larger than 16 KiB',
    415: 'Not application/x-www-form-urlencoded',
    409: 'Exchanged concurrently too often to record; retry',
    429: 'Admin rate limit, or too many never-issued credentials from this client (Retry-After)',
    503: 'The store is unavailable, or this replica lacks the active signing key (Retry-After)',
  })
  async token(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AccessTokenResponse | OAuthError> {
    const form = oauthParams(body);
    const basic = /^Basic\s/i.test(request.headers.authorization ?? '');
    try {
      if (!form.grant_type) throw new ExchangeError('invalid_request', 'grant_type is required');
      if (form.grant_type !== 'client_credentials') return this.refuse(reply, 400, 'unsupported_grant_type', 'only client_credentials is supported', basic);
      // §2.3: one authentication method per request.
      if (basic && form.client_secret !== undefined) throw new ExchangeError('invalid_request', 'authenticate with HTTP Basic or client_secret_post, not both');
      const credential = presentedCredential(request, form);
      if (!credential || credential.clientId === null)
        throw new ExchangeError('invalid_client', 'client authentication is required (HTTP Basic or client_secret_post)');
      const issued = await this.exchange.exchange(request, credential, requestedScopes(form.scope));
      return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn, scope: issued.scope };
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      return this.refuse(reply, error.status, error.code, error.message, basic);
    }
  }

  /** §5.2: a failed Basic authentication answers 401 with the scheme the client used. */
  private refuse(reply: FastifyReply, status: number, error: string, description: string, basic: boolean): OAuthError {
    void reply.status(status);
    if (status === 401) void reply.header('www-authenticate', basic ? 'Basic realm="token-ledger"' : 'Bearer realm="token-ledger"');
    return { error, error_description: description };
  }
}
