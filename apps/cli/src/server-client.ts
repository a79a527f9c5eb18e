import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { RecordedEvent } from '@ledger/event-store';
import { CliError } from './cli-error';
import { exitCodeForStatus } from './exit-codes';

type Query = Record<string, string | number | undefined>;

/** The ledger's HTTP API as the CLI uses it, with a token; an error answer becomes a CliError with its exit code. */
export class ServerClient {
  private readonly base: string;

  constructor(
    url: string,
    private readonly token: string | undefined,
  ) {
    if (!/^https?:\/\/[^/]/.test(url)) throw new CliError(`--server must be an http(s) URL (got "${url}")`);
    if (!token) throw new CliError('--server needs a token: --token <value> or LEDGER_TOKEN');
    this.base = url.replace(/\/+$/, '');
  }

  async json<T>(path: string, query: Query = {}): Promise<T> {
    const response = await this.get(path, query, 'application/json');
    return (await response.json()) as T;
  }

  /** A write (POST, PATCH, DELETE) with an optional JSON body, answering the parsed JSON. */
  async send<T>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown, query: Query = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.request(method, path, query, headers, body === undefined ? undefined : JSON.stringify(body));
    return (await response.json()) as T;
  }

  /** The response body as lines, read as they arrive (an export may be any size). */
  async *lines(path: string, query: Query = {}, accept = 'application/x-ndjson'): AsyncGenerator<string> {
    const response = await this.get(path, query, accept);
    if (!response.body) return;
    yield* createInterface({ input: Readable.fromWeb(response.body as never), crlfDelay: Infinity });
  }

  /** The audit export as pages of events (the trailer line is left out). */
  async *events(query: Query = {}): AsyncGenerator<RecordedEvent[]> {
    let page: RecordedEvent[] = [];
    for await (const line of this.lines('/v1/audit/export', { ...query, format: 'ndjson' })) {
      if (!line) continue;
      const parsed = JSON.parse(line) as RecordedEvent | { trailer: unknown };
      if ('trailer' in parsed) continue;
      page.push(parsed);
      if (page.length === 1000) {
        yield page;
        page = [];
      }
    }
    if (page.length > 0) yield page;
  }

  private get(path: string, query: Query, accept: string): Promise<Response> {
    return this.request('GET', path, query, { accept });
  }

  private async request(method: string, path: string, query: Query, headers: Record<string, string>, body?: string): Promise<Response> {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    let response: Response;
    try {
      response = await fetch(url, { method, headers: { ...headers, authorization: `Bearer ${this.token}` }, body });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(`cannot reach ${this.base} (${cause?.code ?? cause?.message ?? String(error)})`);
    }
    if (!response.ok) {
      const text = await response.text();
      let detail = text.slice(0, 300);
      try {
        const { error } = JSON.parse(text) as { error: { code: string; message: string } };
        detail = `${error.code}: ${error.message}`;
      } catch {
        // not the API's error shape: show the start of the body
      }
      throw new CliError(`${this.base} answered ${response.status} (${detail})`, exitCodeForStatus(response.status));
    }
    return response;
  }
}
