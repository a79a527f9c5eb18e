import { byTokenShape } from './by-token-shape';
import type { TokenVerifier, VerifyOutcome } from './verified-token';

/** A verifier that says which one it is, so the routing can be read from the answer. */
const named = (id: string): TokenVerifier => ({
  verify: async (): Promise<VerifyOutcome> => ({ valid: true, token: { id, projectId: 'p', type: 'project', scopes: [], ownerId: null, expiresAt: null } }),
});
const which = async (verifier: TokenVerifier, token: string) => {
  const outcome = await verifier.verify(token);
  return outcome.valid ? outcome.token.id : outcome.code;
};

describe('byTokenShape', () => {
  it('sends JWT-shaped tokens to the JWT verifier and the rest to the ledger', async () => {
    const verifier = byTokenShape({ opaque: named('ledger'), jwt: named('jwks') });
    expect(await which(verifier, 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe('jwks');
    expect(await which(verifier, 'opaque-token-value')).toBe('ledger');
    expect(await which(verifier, 'a.b')).toBe('ledger');
  });

  it('sends everything to the ledger until a JWT verifier is given', async () => {
    expect(await which(byTokenShape({ opaque: named('ledger') }), 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).toBe('ledger');
  });
});
