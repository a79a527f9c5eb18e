import { formatTokenId, hashTokenValue, parseTokenValue } from '@ledger/token-domain';
import { mintToken, timeOrderedIdBytes } from './mint-token';

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

  it('mints ids that sort by the millisecond they were minted in', async () => {
    const first = mintToken('project').tokenId;
    await new Promise((resolve) => setTimeout(resolve, 2));
    const second = mintToken('project').tokenId;
    expect(first < second).toBe(true);
    // The order holds across the whole range, not only between neighbours.
    const times = [0, 1, 61, 62 ** 3, Date.parse('2026-12-01T00:00:00Z'), 2 ** 48 - 1];
    const ids = times.map((t) => formatTokenId(timeOrderedIdBytes(t)));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^tok_[0-9A-Za-z]{22}$/);
  });

  it('keeps 80 random bits in an id', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => formatTokenId(timeOrderedIdBytes(at))));
    expect(ids.size).toBe(1000);
    const bytes = timeOrderedIdBytes(at);
    expect(bytes.readUIntBE(0, 6)).toBe(at);
    expect(bytes.length).toBe(16);
  });
});
