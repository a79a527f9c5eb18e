import { currentSession, signOut } from './session';

/** The API's error shape, `{error: {code, message, details?}}`, as a throwable. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function failure(response: Response): Promise<ApiFailure> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } } | null;
    return new ApiFailure(response.status, body?.error?.code ?? `http_${response.status}`, body?.error?.message ?? response.statusText);
  } catch {
    return new ApiFailure(response.status, `http_${response.status}`, response.statusText || 'request failed');
  }
}

/**
 * Every console call goes through here: same origin, the pasted token as a Bearer header (never in
 * a URL), no cookies. A 401 means the token no longer works: the session is forgotten.
 */
export async function request(method: string, path: string, body?: unknown, token = currentSession()?.token): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!response.ok) {
    const error = await failure(response);
    if (response.status === 401 && token && currentSession()?.token === token) signOut();
    throw error;
  }
  return response;
}

export async function getJson<T>(path: string): Promise<T> {
  return (await request('GET', path)).json() as Promise<T>;
}

export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await request(method, path, body)).json() as Promise<T>;
}

/** A query string from the defined, non-empty values only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const projectPath = (projectId: string) => `/v1/projects/${encodeURIComponent(projectId)}`;
export const tokenPath = (projectId: string, tokenId: string) => `${projectPath(projectId)}/tokens/${encodeURIComponent(tokenId)}`;
