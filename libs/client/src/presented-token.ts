type Headers = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The token a request carries, the ways the ledger itself accepts it: `Authorization: Bearer`,
 * `Auth-token` or `X-API-Key` (header names in lower case, as Node gives them).
 */
export function presentedToken(headers: Headers): string | undefined {
  const authorization = first(headers.authorization);
  const bearer = authorization && /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  return bearer || first(headers['auth-token'])?.trim() || first(headers['x-api-key'])?.trim() || undefined;
}
