import { Body, Controller, Header, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../../http/api-error';
import { AccessTokenExchange, ExchangeError } from '../access-token.exchange';
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
  @ApiBody({
    schema: {
      type: 'object',
      required: ['clientId', 'secret'],
      properties: { clientId: { type: 'string', example: 'tok_4TQhc1mbkVyTr3Lw0XkC9a' }, secret: { type: 'string' }, scope: { type: 'string', description: 'space-separated subset of the token scopes' } },
    },
  })
  @ApiOkResponse({ description: '{accessToken, expiresIn, tokenType: "Bearer", scope}' })
  @ApiBadRequestResponse({ description: 'validation_failed or invalid_scope' })
  @ApiUnauthorizedResponse({ description: 'invalid_client: unknown, revoked, expired or root credentials' })
  async auth(@Body() body: unknown, @Req() request: FastifyRequest): Promise<object> {
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
