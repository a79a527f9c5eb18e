import { Inject, Injectable } from '@nestjs/common';
import type { LedgerConfig } from '@ledger/config';
import { TokenIndex, tokenStatus, type Verification, type VerifyRequirements } from '@ledger/projections';
import { LEDGER_CONFIG } from '../../store/ledger-store.tokens';
import { checkAccessToken, type AccessTokenClaims } from './access-token.jwt';
import { SigningKeyRing } from './signing-key-ring';

/** Access tokens verified before, by their whole value: a service presents the same one until it expires. */
const VERIFIED_ENTRIES = 10_000;

type Verified = { claims: AccessTokenClaims; kid: string; scopes: string[]; expiresAt: string; issuedAt: string };

/**
 * The ledger's own check of an access token (verify, forward-auth, introspection): the JWT's
 * signature, `typ`, issuer and `exp`, then its parent in the verification index, which must still
 * be active — a revoke of the parent ends its access tokens here on the next call. It answers as
 * for the parent (id, project, owner, usage) with the access token's narrowed scopes and expiry.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly verified = new Map<string, Verified>();
  /** Parent token id → secret hash: a token's hash never changes, so it is kept once looked up. */
  private readonly parentHashes = new Map<string, string>();

  constructor(
    private readonly ring: SigningKeyRing,
    private readonly index: TokenIndex,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
  ) {}

  async verify(value: string, requirements: VerifyRequirements, nowMs: number): Promise<Verification> {
    const checked = await this.check(value, nowMs);
    if ('code' in checked) return checked;
    const { claims, scopes } = checked;
    const hash = this.parentHash(claims.client_id);
    const parent = hash === undefined ? undefined : this.index.find(hash);
    if (!parent || parent.projectId !== claims.project) return { valid: false, code: 'not_found' };
    const status = tokenStatus(parent, new Date(nowMs));
    if (status !== 'active') return { valid: false, code: status, token: parent };
    // The parent may have been narrowed (PATCH) or shortened since the exchange: the access token
    // never carries more than its parent holds now, nor outlives it.
    const held = scopes.filter((scope) => parent.scopes.includes(scope));
    const expiresAt = parent.expiresAt !== null && parent.expiresAt < checked.expiresAt ? parent.expiresAt : checked.expiresAt;
    const token = { ...parent, scopes: held, expiresAt };
    if (requirements.projectId !== undefined && requirements.projectId !== parent.projectId) return { valid: false, code: 'wrong_project', token };
    for (const scope of requirements.scopes ?? []) if (!held.includes(scope)) return { valid: false, code: 'insufficient_scope', token };
    return { valid: true, token, accessToken: { jti: claims.jti, issuedAt: checked.issuedAt, expiresAt } };
  }

  /** The parent's hash, remembered for the tokens the ledger issued (the exchange tells it). */
  rememberParent(tokenId: string, secretHash: string): void {
    if (this.parentHashes.size >= VERIFIED_ENTRIES) this.parentHashes.clear();
    this.parentHashes.set(tokenId, secretHash);
  }

  private parentHash(tokenId: string): string | undefined {
    const known = this.parentHashes.get(tokenId);
    if (known !== undefined) return known;
    const hash = this.index.secretHashOfId(tokenId);
    if (hash !== undefined) this.rememberParent(tokenId, hash);
    return hash;
  }

  private async check(value: string, nowMs: number): Promise<Verified | { valid: false; code: 'malformed' | 'expired' }> {
    const cached = this.verified.get(value);
    if (cached) {
      if (cached.claims.exp * 1000 <= nowMs) return { valid: false, code: 'expired' };
      // Its key may have been retired at once since (a leaked key): as on a first check, an unknown key.
      return this.ring.verificationKey(cached.kid, new Date(nowMs)) ? cached : { valid: false, code: 'malformed' };
    }
    const result = await checkAccessToken(value, (kid) => this.ring.verificationKey(kid, new Date(nowMs)), this.config.accessTokens.issuer, new Date(nowMs));
    if (!result.ok) return { valid: false, code: result.expired ? 'expired' : 'malformed' };
    const { claims } = result;
    const verified: Verified = {
      claims,
      kid: result.kid,
      scopes: Object.freeze(claims.scope === '' ? [] : claims.scope.split(' ')) as string[],
      expiresAt: new Date(claims.exp * 1000).toISOString(),
      issuedAt: new Date(claims.iat * 1000).toISOString(),
    };
    if (this.verified.size >= VERIFIED_ENTRIES) this.verified.clear();
    this.verified.set(value, verified);
    return verified;
  }
}
