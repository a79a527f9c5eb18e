import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './generated/ledger-api';

export type LedgerAdminClient = Client<paths>;

/**
 * The ledger's admin API, typed from its OpenAPI document (openapi-fetch over the
 * openapi-typescript types in generated/): paths, parameters, bodies and answers are checked
 * by the compiler, e.g.
 *   const { data, error } = await admin.POST('/v1/projects/{projectId}/tokens', {
 *     params: { path: { projectId: 'shop' } }, body: { name: 'billing sync', scopes: ['orders:read'], expiresIn: '90d' } });
 */
export function createLedgerAdminClient(options: { baseUrl: string; token: string; fetch?: typeof fetch }): LedgerAdminClient {
  return createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.token}` },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
}
