import { withoutClientDetails } from './token-history.redaction';

const event = (type: string, data: Record<string, unknown>) => ({
  id: 'e1',
  position: 1,
  streamId: 'token-tok_a',
  revision: 0,
  type,
  data,
  metadata: { actor: { type: 'token', id: 'tok_w' }, requestId: 'r1', ip: '10.0.0.9', userAgent: 'curl/8', prevHash: '0'.repeat(64) },
  recordedAt: '2026-03-01T10:00:00.000Z',
});

describe('token history without client details', () => {
  it('given a TokenUsed, leaves out the last client and the request client, keeps the rest', () => {
    const used = withoutClientDetails(event('TokenUsed', { tokenId: 'tok_a', count: 2, lastIp: '10.0.0.1', lastUserAgent: 'sdk/1', lastUsedAt: 'x' }));
    expect(used.data).toEqual({ tokenId: 'tok_a', count: 2, lastUsedAt: 'x' });
    expect(used.metadata).toEqual({ actor: { type: 'token', id: 'tok_w' }, requestId: 'r1', prevHash: '0'.repeat(64) });
  });

  it('given a TokenCreated and a TokenRotated, leaves out both secret hashes', () => {
    expect(withoutClientDetails(event('TokenCreated', { tokenId: 'tok_a', secretHash: 'a'.repeat(64), hint: 'h' })).data).toEqual({
      tokenId: 'tok_a',
      hint: 'h',
    });
    const rotated = withoutClientDetails(event('TokenRotated', { tokenId: 'tok_a', newToken: { secretHash: 'b'.repeat(64), hint: 'h2', expiresAt: null } }));
    expect(rotated.data).toEqual({ tokenId: 'tok_a', newToken: { hint: 'h2', expiresAt: null } });
  });

  it('given an AccessTokenIssued, leaves out the exchanging client address, keeps jti, scopes and expiry', () => {
    const issued = withoutClientDetails(
      event('AccessTokenIssued', { tokenId: 'tok_a', jti: 'j1', scopes: ['read'], expiresAt: 'x', clientAddress: '10.0.0.7' }),
    );
    expect(issued.data).toEqual({ tokenId: 'tok_a', jti: 'j1', scopes: ['read'], expiresAt: 'x' });
  });

  it('does not change the recorded event it was given', () => {
    const original = event('TokenRotated', { secretHash: 's', newToken: { secretHash: 't' } });
    const copy = JSON.parse(JSON.stringify(original));
    withoutClientDetails(original);
    expect(original).toEqual(copy);
  });
});
