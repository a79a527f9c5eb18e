import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { LedgerConfig } from '@ledger/config';
import { LEDGER_CONFIG } from '../store/ledger-store.tokens';
import { AuthorizationServerMetadata, JsonWebKeySet } from './discovery.view';
import { SigningKeyRing } from '../verification/jwt/signing-key-ring';

/**
 * Discovery for services that verify access tokens offline. The JWKS is cached briefly: a new key
 * (after a rotation) is fetched by verifiers when they meet its kid, and a retired key stays in
 * it until every token it signed has expired. Not throttled: every service fetches these.
 */
@ApiTags('access tokens')
@Controller('.well-known')
@SkipThrottle()
export class DiscoveryHttpController {
  constructor(
    private readonly ring: SigningKeyRing,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  // Public, and no input to get wrong: no error status to document.
  @ApiOperation({ operationId: 'getJwks', summary: 'RFC 7517 JWK Set: the public keys that verify access tokens', security: [] })
  @ApiOkResponse({ type: JsonWebKeySet, description: 'The active key and the retired ones whose tokens may still be valid (ES256)' })
  jwks(): object {
    return this.ring.jwks(new Date());
  }

  @Get('oauth-authorization-server')
  @Header('cache-control', 'public, max-age=3600')
  @ApiOperation({ operationId: 'getAuthorizationServerMetadata', summary: 'RFC 8414 authorization server metadata', security: [] })
  @ApiOkResponse({ type: AuthorizationServerMetadata })
  metadata(): AuthorizationServerMetadata {
    // From configuration only, never from Host / X-Forwarded-Host: this answer is cached publicly
    // (shared caches, CDNs), and a forged Host would send clients' secrets to another server.
    // Without PUBLIC_URL, the endpoints are named under the issuer (default http://localhost:PORT).
    const base = this.config.accessTokens.publicUrl ?? this.config.accessTokens.issuer;
    const clientAuth = ['client_secret_basic', 'client_secret_post'];
    return {
      issuer: this.config.accessTokens.issuer,
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}/.well-known/jwks.json`,
      introspection_endpoint: `${base}/oauth2/introspect`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      grant_types_supported: ['client_credentials'],
      response_types_supported: [],
      token_endpoint_auth_methods_supported: clientAuth,
      introspection_endpoint_auth_methods_supported: clientAuth,
      revocation_endpoint_auth_methods_supported: ['none'],
      access_token_signing_alg_values_supported: ['ES256'],
    };
  }
}
