import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@ledger/config';
import { MemoryEventStore, systemContext } from '@ledger/event-store';
import type { Projector } from '@ledger/projections';
import { activateSigningKey } from '@ledger/tokens';
import { SigningKeyRing } from './signing-key-ring';

/**
 * Security review (jwt-fixes, 1): a rotation recorded by another process while this replica
 * cannot read the key file (corrupt JSON, EACCES) must stop signing here, loudly, rather than
 * keep signing with the retired key.
 */
describe('SigningKeyRing: a key file it cannot read', () => {
  let dir: string;
  let keyFile: string;
  let store: MemoryEventStore;
  let ring: SigningKeyRing;
  const errors: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-ring-jwt-fixes-'));
    keyFile = join(dir, 'signing-keys.json');
    store = new MemoryEventStore();
    const config = loadConfig({ LEDGER_DATA_DIR: dir, SIGNING_KEY_FILE: keyFile });
    ring = new SigningKeyRing(store, config, { follow: () => undefined } as unknown as Projector);
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => void errors.push(String(message)));
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await ring.onApplicationBootstrap();
  });
  afterEach(() => {
    jest.restoreAllMocks();
    errors.length = 0;
    rmSync(dir, { recursive: true, force: true });
  });

  it('drops the old signer when the rotation it follows cannot read the new private key', async () => {
    const first = ring.signer();
    expect(first).not.toBeNull();
    // Another process (the CLI, a replica) rotates; then the shared file is replaced by something unreadable.
    const rotated = await activateSigningKey(store, {
      keyFile,
      caller: { kind: 'system', id: 'cli' },
      context: systemContext('test'),
      maxTokenLifetimeSeconds: 60,
    });
    const intact = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, '{"keys": [', { mode: 0o600 });
    await expect(ring.reload()).rejects.toThrow();
    expect(rotated?.kid).not.toBe(first?.kid);
    expect(ring.signer()).toBeNull();
    expect(await ring.signerForExchange()).toBeNull(); // still unreadable
    expect(errors.join('\n')).toMatch(/signing key/);

    // The operator repairs the file: the next exchange after the retry interval signs with the new key, no restart.
    writeFileSync(keyFile, intact, { mode: 0o600 });
    expect(await ring.signerForExchange()).toBeNull(); // within the retry interval: no re-read per request
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() + SigningKeyRing.RETRY_MS + 1);
    expect((await ring.signerForExchange())?.kid).toBe(rotated?.kid);
  });
});
