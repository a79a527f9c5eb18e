import { hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { mintToken } from './mint-token';

describe('mintToken', () => {
  it('mints well-formed, distinct tokens across refills of its random pool', () => {
    const minted = Array.from({ length: 1000 }, (_, i) => mintToken(i % 2 ? 'integration' : 'project'));
    expect(new Set(minted.map((m) => m.value)).size).toBe(1000);
    expect(new Set(minted.map((m) => m.tokenId)).size).toBe(1000);
    for (const m of minted.slice(0, 300)) {
      expect(parseTokenValue(m.value)).not.toBeNull();
      expect(m.secretHash).toBe(hashTokenValue(m.value));
      expect(m.tokenId).toMatch(/^tok_[0-9A-Za-z]{22}$/);
    }
  });
});
