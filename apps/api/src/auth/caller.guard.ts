import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenIndex, tokenStatus } from '@ledger/projections';
import { hashTokenValue, parseTokenValue, type LedgerScope } from '@ledger/token-domain';
import { ApiError } from '../http/api-error';
import { VerificationService } from '../verification/verification.service';
import { mayAct, REQUIRED_SCOPE, type Caller } from '../credentials/caller';
import { presentedToken } from '../credentials/presented-token';

export type RequestWithCaller = FastifyRequest & { caller?: Caller };

/** Authenticates the presented token and checks the route's scope on the path's project. */
@Injectable()
export class CallerGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly index: TokenIndex,
    private readonly verification: VerificationService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    let caller: Caller;
    try {
      caller = this.authenticate(request);
    } catch (error) {
      // A valid token passes even from a blocked client; what fails is answered 429 while the
      // client is blocked. A value the ledger never issued counts toward the client's bucket; a
      // missing, revoked or expired one does not (see CREDENTIAL_FAILURES).
      if (error instanceof ApiError) await this.verification.failedCredential(request, error.code === 'invalid_token' && !this.issued(request));
      throw error;
    }
    // Using a token on the admin API is a use (last used, use count), even if the scope is refused.
    this.verification.recordUse(request, { id: caller.tokenId, projectId: caller.projectId });
    const scope = this.reflector.get<LedgerScope>(REQUIRED_SCOPE, context.getHandler());
    const projectId = (request.params as Record<string, string | undefined>).projectId ?? caller.projectId;
    if (!mayAct(caller, scope, projectId)) {
      throw ApiError.forbidden(`this token needs scope ${scope} on project ${projectId}`, scope);
    }
    request.caller = caller;
    return true;
  }

  private issued(request: FastifyRequest): boolean {
    const value = presentedToken(request.headers);
    return !!value && !!parseTokenValue(value) && this.index.find(hashTokenValue(value)) !== undefined;
  }

  private authenticate(request: FastifyRequest): Caller {
    const value = presentedToken(request.headers);
    if (!value) throw ApiError.unauthorized('missing_credentials', 'send a token as Authorization: Bearer <token>');
    // A malformed value is refused before any lookup (docs/api.md, "Token format").
    const token = parseTokenValue(value) ? this.index.find(hashTokenValue(value)) : undefined;
    if (!token || tokenStatus(token, new Date()) !== 'active') {
      throw ApiError.unauthorized('invalid_token', 'the token is malformed, unknown, revoked or expired');
    }
    // The index holds the grace end as expiresAt once a token is rotated (token-list.projection).
    return { tokenId: token.id, projectId: token.projectId, scopes: token.scopes, expiresAt: token.expiresAt };
  }
}
