import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../http/api-error';
import { ApiErrors, BODY_ERRORS } from '../../openapi/api-errors.decorator';
import { AccessTokenExchange, ExchangeError } from '../access-token.exchange';
import { AuthRequest, AuthResponse } from './access-token.view';
import { requestedScopes } from './requested-scopes';

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 512;

/**
 * The exchange in the JSON style some clients are written against (a `clientId` + `secret` pair
 * for a 24-hour `accessToken`): the same command as POST /oauth2/token, errors in the API's shape.
 */
@ApiTags('access tokens')
@Controller('v1/auth')
export class AuthHttpController {
  constructor(private readonly exchange: AccessTokenExchange) {}

  @Post()
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  // The credentials are in the body: nothing in the headers.
  @ApiOperation({ operationId: 'authenticate', summary: 'Exchange a token id and value for a short-lived access token (JSON)', security: [] })
  @ApiBody({ type: AuthRequest })
  @ApiOkResponse({ type: AuthResponse })
  @ApiErrors([...BODY_ERRORS, 401, 409, 429, 503], {
    400: 'validation_failed or invalid_scope',
    401: 'invalid_client: unknown, revoked, expired or root credentials (WWW-Authenticate)',
    409: 'Exchanged concurrently too often to record; retry',
    429: 'Admin rate limit, or too many never-issued credentials from this client (Retry-After)',
    503: 'The store is unavailable, or this replica lacks the active signing key (Retry-After)',
  })
  async auth(@Body() body: unknown, @Req() request: FastifyRequest): Promise<AuthResponse> {
    const { clientId, secret, scope } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (!isText(clientId) || !isText(secret)) throw ApiError.badRequest('validation_failed', 'send {"clientId": "<token id>", "secret": "<token value>"}');
    try {
      const issued = await this.exchange.exchange(request, { clientId, secret }, requestedScopes(scope));
      return { accessToken: issued.accessToken, expiresIn: issued.expiresIn, tokenType: 'Bearer', scope: issued.scope };
    } catch (error) {
      if (!(error instanceof ExchangeError)) throw error;
      throw new ApiError(error.status, error.code, error.message, undefined, error.status === 401 ? { 'www-authenticate': 'Bearer realm="token-ledger"' } : {});
    }
  }
}
