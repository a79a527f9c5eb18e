import { randomUUID } from 'node:crypto';

/** A TokenCreated of realistic size for the append benches (no valid hash chain: they time writes). */
export function tokenEvent() {
  return {
    id: randomUUID(),
    type: 'TokenCreated',
    data: {
      tokenId: `tok_${randomUUID()}`,
      projectId: 'bench',
      name: 'ci deploy',
      type: 'project',
      scopes: ['flags:read'],
      expiresAt: null,
      secretHash: 'ab'.repeat(32),
      hint: 'tlp_…Ab3x',
      createdAt: new Date().toISOString(),
      rotatedFrom: null,
      metadata: {},
    },
    metadata: { actor: { type: 'token', id: 'tok_root' }, requestId: randomUUID(), schemaVersion: 1, prevHash: '0'.repeat(64) },
  };
}
