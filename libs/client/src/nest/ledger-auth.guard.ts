import { HttpException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authorizeRequest, type Authorization } from '../authorize-request';
import type { TokenVerifier, VerifiedToken } from '../verified-token';
import { LEDGER_AUTH_OPTIONS, LEDGER_VERIFIER, REQUIRED_SCOPES, type LedgerAuthOptions } from './ledger-auth.tokens';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
  ledgerToken?: VerifiedToken;
}
/** Express's response and Fastify's reply both have `header(name, value)`. */
interface HttpResponse {
  header(name: string, value: string): unknown;
}

/**
 * Lets a request through when its token holds every scope named by @RequireScopes (and belongs
 * to the configured project); puts the token on `request.ledgerToken`. Refusals are thrown as
 * HttpExceptions carrying the ledger's error shape, with the RFC 6750 challenge header set.
 */
@Injectable()
export class LedgerAuthGuard implements CanActivate {
  /**
   * @RequireScopes on a controller and on its route puts this guard on the route twice: the
   * second run takes the first one's answer rather than asking the ledger again.
   */
  private readonly answered = new WeakMap<object, Promise<Authorization>>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(LEDGER_VERIFIER) private readonly verifier: TokenVerifier,
    @Inject(LEDGER_AUTH_OPTIONS) private readonly options: LedgerAuthOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [];
    const request = context.switchToHttp().getRequest<HttpRequest>();
    let answer = this.answered.get(request);
    if (!answer) {
      answer = authorizeRequest(this.verifier, request, { scopes, projectId: this.options.projectId });
      this.answered.set(request, answer);
    }
    const result = await answer;
    if (!result.allowed) {
      const response = context.switchToHttp().getResponse<HttpResponse>();
      for (const [name, value] of Object.entries(result.refusal.headers)) response.header(name, value);
      throw new HttpException(result.refusal.body, result.refusal.status);
    }
    request.ledgerToken = result.token;
    return true;
  }
}
