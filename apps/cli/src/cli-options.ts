import { CliError } from './cli-error';
import { ServerClient } from './server-client';
import type { SourceOptions } from './ledger-source';

/** `--scopes a,b` as a list; `--scopes ''` is no scopes at all. */
export function parseScopes(value: string): string[] {
  return value
    .split(',')
    .map((scope) => scope.trim())
    .filter((scope) => scope !== '');
}

/** `--metadata '{"team":"pay"}'`: a JSON object, or a clear error naming the option. */
export function parseMetadata(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // Not quoted back: whatever was pasted there (a secret, even) stays off the terminal's scrollback and logs.
    throw new CliError(`--metadata must be a JSON object such as '{"team":"pay"}' (it does not parse as JSON)`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new CliError('--metadata must be a JSON object, not an array or a value');
  return parsed as Record<string, unknown>;
}

/**
 * Writes go through the API, which authenticates the token and applies the authorization
 * rules, quotas and read-your-writes; the data directory is for reads and recovery.
 */
export function writeClient(options: SourceOptions, command: string): ServerClient {
  if (!options.server) {
    throw new CliError(`${command} needs --server <url> (or LEDGER_SERVER) and a token: changes go through the API, which checks who asks`);
  }
  return new ServerClient(options.server, options.token ?? process.env.LEDGER_TOKEN);
}

export const tokenPath = (projectId: string, tokenId: string) => `/v1/projects/${encodeURIComponent(projectId)}/tokens/${encodeURIComponent(tokenId)}`;
