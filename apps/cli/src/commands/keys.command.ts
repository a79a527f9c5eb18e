import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { accessTokenConfig, ConfigError } from '@ledger/config';
import type { CommandContext } from '@ledger/event-store';
import { activateSigningKey } from '@ledger/tokens';
import { CliError } from '../cli-error';
import { openDataDir, type SourceOptions } from '../ledger-source';

const cliContext = (): CommandContext => ({
  actor: { type: 'cli', id: userInfo().username || 'unknown' },
  requestId: null,
  ip: null,
  userAgent: 'ledger-cli',
  correlationId: null,
  causationId: null,
});

/**
 * `ledger keys rotate`: on the data directory, writes a new private key to the key file
 * (SIGNING_KEY_FILE or the data directory's) and records the rotation; a server running there
 * follows the ledger and signs with the new key. With --server, asks it (root token).
 */
async function rotate(options: SourceOptions, retireNow: boolean): Promise<void> {
  const result = options.server ? await rotateOnServer(options, retireNow) : await rotateOnDataDir(options, retireNow);
  const retired = !result.retired
    ? ''
    : retireNow
      ? `; ${result.retired.kid} retired now: its access tokens no longer verify and it left the JWKS`
      : `; ${result.retired.kid} retired, in the JWKS until ${result.retired.verifiableUntil}`;
  process.stdout.write(`signing with key ${result.kid}${retired}\n`);
}

async function rotateOnDataDir(options: SourceOptions, retireNow: boolean) {
  const { dataDir, store } = openDataDir(options);
  try {
    let config;
    try {
      config = accessTokenConfig(process.env, dataDir, 3000);
    } catch (error) {
      if (error instanceof ConfigError) throw new CliError(error.message);
      throw error;
    }
    const activated = await activateSigningKey(store, {
      keyFile: config.signingKeyFile,
      caller: { kind: 'system', id: 'cli' },
      context: cliContext(),
      maxTokenLifetimeSeconds: config.ttlSeconds,
      retireNow,
    });
    return activated as NonNullable<typeof activated>;
  } finally {
    await store.close();
  }
}

async function rotateOnServer(options: SourceOptions, retireNow: boolean): Promise<{ kid: string; retired: { kid: string; verifiableUntil: string } | null }> {
  const token = options.token ?? process.env.LEDGER_TOKEN;
  if (!token) throw new CliError('--server needs a root token: --token <value> or LEDGER_TOKEN');
  const base = (options.server as string).replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}/v1/signing-keys/rotate`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ retireNow }),
    });
  } catch (error) {
    throw new CliError(`cannot reach ${base} (${String((error as { cause?: unknown }).cause ?? error)})`);
  }
  const body = (await response.json().catch(() => ({}))) as { kid: string; retired: null; error?: { code: string; message: string } };
  if (!response.ok) throw new CliError(`${base} answered ${response.status} (${body.error ? `${body.error.code}: ${body.error.message}` : 'no details'})`);
  return body;
}

export function keysCommand(program: Command, sourceOptions: () => SourceOptions): void {
  const keys = program.command('keys').description('the keys that sign short-lived access tokens');
  keys
    .command('rotate')
    .description('start signing access tokens with a new key; the old one stays in the JWKS until its tokens have expired')
    .option(
      '--revoke-old',
      'the current key leaked: retire it now, ending every access token it signed (at the ledger at once, offline when verifiers next fetch the JWKS)',
    )
    .action((options: { revokeOld?: boolean }) => rotate(sourceOptions(), options.revokeOld === true));
}
