import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { VerificationService } from '../verification.service';
import { parseVerifyRequest, VerifyTokenRequest } from './verify-token.request.dto';
import { VerifyTokenResult } from './verify-token.result';

@ApiTags('verification')
@Controller('v1/tokens/verify')
@SkipThrottle() // callers are trusted services; only their end clients' failures are counted
export class VerifyTokenHttpController {
  constructor(private readonly verification: VerificationService) {}

  @Post()
  @HttpCode(200)
  @ApiBody({ type: VerifyTokenRequest })
  @ApiOkResponse({ type: VerifyTokenResult, description: '`{valid: true, …}` or `{valid: false, code}`' })
  @ApiTooManyRequestsResponse({ description: 'Too many failed credentials from this end client (Retry-After)' })
  async verify(@Body() body: unknown, @Req() request: FastifyRequest): Promise<VerifyTokenResult> {
    const { token, scopes, projectId } = parseVerifyRequest(body);
    const result = await this.verification.verify(request, token, { scopes, projectId });
    if (!result.valid) return { valid: false, code: result.code };
    const t = result.token;
    return { valid: true, tokenId: t.id, projectId: t.projectId, type: t.type, ownerId: t.ownerId, scopes: t.scopes, expiresAt: t.expiresAt };
  }
}
