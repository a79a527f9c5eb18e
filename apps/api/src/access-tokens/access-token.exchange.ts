import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { LedgerConfig } from '@ledger/config';
import { CREDENTIAL_FAILURES, TokenIndex, verifyTokenValue } from '@ledger/projections';
import { hashTokenValue, TokenCommandError } from '@ledger/token-domain';
import { commandCaller, type Caller } from '../credentials/caller';
import { ApiError } from '../http/api-error';
import { commandContext } from '../http/request-context';
import { LEDGER_CONFIG } from '../store/ledger-store.tokens';
import { TokenStream } from '../store/token-stream';
import { ClientAddress } from '../verification/rate-limit/client-address';
import { VerificationService } from '../verification/verification.service';
import { signAccessToken } from '../verification/jwt/access-token.jwt';
import { AccessTokenVerifier } from '../verification/jwt/access-token.verifier';
import { SigningKeyRing } from '../verification/jwt/signing-key-ring';

/** An exchange refused in RFC 6749 §5.2 terms; both spellings of the exchange map it to their own body. */
export class ExchangeError extends Error {
  constructor(
    readonly code: 'invalid_client' | 'invalid_scope' | 'invalid_request',
    message: string,
  ) {
    super(message);
    this.name = 'ExchangeError';
  }

  get status(): number {
    return this.code === 'invalid_client' ? 401 : 400;
  }
}

export interface IssuedAccessToken {
  accessToken: string;
  expiresIn: number;
  scope: string;
}

/** Concurrent exchanges of one token append to one stream: decided again on a conflict. */
const EXCHANGE_RETRIES = 8;

/**
 * The exchange of a ledger token (client_id = its id, client_secret = its value) for a short-lived
 * access token: authenticated against the verification index, decided on the token's stream
 * (authorizeAccessToken: the rules), recorded as AccessTokenIssued, then signed. Recording comes
 * first: a token the ledger cannot account for is never handed out.
 */
@Injectable()
export class AccessTokenExchange {
  constructor(
    private readonly index: TokenIndex,
    private readonly tokens: TokenStream,
    private readonly verification: VerificationService,
    private readonly ring: SigningKeyRing,
    private readonly verifier: AccessTokenVerifier,
    private readonly clients: ClientAddress,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async exchange(request: FastifyRequest, credential: { clientId: string | null; secret: string }, scopes: string[] | null): Promise<IssuedAccessToken> {
    const authenticated = verifyTokenValue(credential.secret, (hash) => this.index.find(hash), {}, new Date());
    if (!authenticated.valid) {
      // A value never issued counts toward the client's bucket; a revoked or expired one does not.
      await this.verification.failedCredential(request, CREDENTIAL_FAILURES.has(authenticated.code));
      throw new ExchangeError('invalid_client', 'client authentication failed');
    }
    const parent = authenticated.token;
    if (credential.clientId !== null && credential.clientId !== parent.id) throw new ExchangeError('invalid_client', 'client authentication failed');
    const signer = await this.ring.signerForExchange();
    if (!signer)
      throw new ApiError(503, 'signing_key_unavailable', 'this replica has no private half of the active signing key; retry shortly', undefined, {
        'retry-after': '5',
      });
    const caller: Caller = { tokenId: parent.id, projectId: parent.projectId, scopes: parent.scopes, expiresAt: parent.expiresAt };
    const jti = randomUUID();
    const now = new Date();
    let result;
    try {
      result = await this.tokens.execute(
        {
          type: 'IssueAccessToken',
          data: {
            caller: commandCaller(caller),
            tokenId: parent.id,
            projectId: parent.projectId,
            jti,
            kid: signer.kid,
            scopes,
            ttlSeconds: this.config.accessTokens.ttlSeconds,
            clientAddress: this.clients.of(request),
            now,
          },
        },
        commandContext(request, caller),
        { retries: EXCHANGE_RETRIES },
      );
    } catch (error) {
      if (error instanceof TokenCommandError && (error.code === 'invalid_client' || error.code === 'invalid_scope'))
        throw new ExchangeError(error.code, error.message);
      throw error;
    }
    const issued = result.appended[0];
    if (issued?.type !== 'AccessTokenIssued') throw new Error('the exchange recorded no AccessTokenIssued');
    this.verifier.rememberParent(parent.id, hashTokenValue(credential.secret));
    this.verification.recordUse(request, parent);
    const iat = Math.floor(now.getTime() / 1000);
    const exp = Math.floor(Date.parse(issued.data.expiresAt) / 1000);
    const scope = issued.data.scopes.join(' ');
    const accessToken = await signAccessToken(
      {
        iss: this.config.accessTokens.issuer,
        sub: parent.ownerId ?? parent.id,
        aud: parent.projectId,
        client_id: parent.id,
        project: parent.projectId,
        scope,
        jti,
        iat,
        exp,
      },
      signer,
    );
    return { accessToken, expiresIn: exp - iat, scope };
  }
}
