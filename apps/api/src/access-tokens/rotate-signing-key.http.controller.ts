import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { commandCaller, type Caller } from '../credentials/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { commandContext } from '../http/request-context';
import { ApiErrors, BODY_ERRORS } from '../openapi/api-errors.decorator';
import { RotateSigningKeyRequest } from './rotate-signing-key.request.dto';
import { SigningKeyRotation } from './rotate-signing-key.view';
import { SigningKeyRing } from '../verification/jwt/signing-key-ring';

/** Root starts signing with a new key; the old one stays in the JWKS until its tokens have expired. */
@ApiTags('access tokens')
@Controller('v1/signing-keys')
export class RotateSigningKeyHttpController {
  constructor(private readonly ring: SigningKeyRing) {}

  @Post('rotate')
  @HttpCode(201)
  @ApiErrors([...BODY_ERRORS, 409], { 409: 'Other rotations were recorded at the same time; retry' })
  @RequireScope('root')
  @ApiOperation({
    operationId: 'rotateSigningKey',
    summary: 'Start signing access tokens with a new key (root only); the old one stays verifiable unless retireNow',
  })
  @ApiCreatedResponse({ type: SigningKeyRotation, description: 'The new kid, and the retired key with how long it stays in the JWKS' })
  async rotate(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest, @Body() body: RotateSigningKeyRequest = {}): Promise<SigningKeyRotation> {
    const { kid, retired } = await this.ring.rotate(commandCaller(caller), commandContext(request, caller), { retireNow: body?.retireNow === true });
    return { kid, retired };
  }
}
