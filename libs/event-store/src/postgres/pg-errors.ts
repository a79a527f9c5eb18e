import { EventStoreUnavailableError } from '../event-store.port';

/**
 * SQLSTATE classes that are the server's state, not the request's: connection lost or refused
 * (08), out of resources such as connections (53), shut down or starting (57P), system I/O (58),
 * and a deadlock or serialization failure (40) that a repeat may pass.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|58|40)/;
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What the driver says when a connection ends or a pool waits too long (no code attached). */
const UNAVAILABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|not queryable|Query read timeout|connection timeout/i;

export function isUnavailable(error: unknown): boolean {
  if (error instanceof EventStoreUnavailableError) return true;
  const { code, message, syscall } = (error ?? {}) as { code?: unknown; message?: unknown; syscall?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  // Over a Unix socket (`?host=/var/run/postgresql`) a stopped server is a missing socket file:
  // the same "nothing listens there" as a refused TCP connection.
  if (code === 'ENOENT' && syscall === 'connect') return true;
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
}

/**
 * The port's error for a failed call: unavailable (503, may be repeated with the same ids) or
 * the original. The message never carries the connection string, which may hold a password.
 */
export function toPortError(error: unknown, operation: string): unknown {
  if (error instanceof EventStoreUnavailableError || !isUnavailable(error)) return error;
  const { code, message } = error as { code?: string; message?: string };
  return new EventStoreUnavailableError(`PostgreSQL ${operation}: ${code ? `${code} ` : ''}${message ?? 'failed'}`);
}

/** A unique index refused the insert: another append took the revision, or the id is taken. */
export const isUniqueViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23505';
