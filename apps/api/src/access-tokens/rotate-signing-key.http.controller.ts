import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { commandCaller, type Caller } from '../auth/caller';
import { CurrentCaller } from '../auth/current-caller.decorator';
import { RequireScope } from '../auth/require-scope.decorator';
import { commandContext } from '../http/request-context';
import { RotateSigningKeyRequest } from './rotate-signing-key.request.dto';
import { SigningKeyRing } from './signing-key-ring';

/** Root starts signing with a new key; the old one stays in the JWKS until its tokens have expired. */
@ApiTags('access tokens')
@Controller('v1/signing-keys')
export class RotateSigningKeyHttpController {
  constructor(private readonly ring: SigningKeyRing) {}

  @Post('rotate')
  @HttpCode(201)
  @RequireScope('root')
  @ApiCreatedResponse({ description: '{kid, retired: {kid, verifiableUntil} | null}' })
  async rotate(@CurrentCaller() caller: Caller, @Req() request: FastifyRequest, @Body() body: RotateSigningKeyRequest = {}): Promise<object> {
    const { kid, retired } = await this.ring.rotate(commandCaller(caller), commandContext(request, caller), { retireNow: body?.retireNow === true });
    return { kid, retired };
  }
}
