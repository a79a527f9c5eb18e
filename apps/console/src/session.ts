import type { Identity } from './logic/permissions';

/**
 * The pasted token lives in this tab only: memory plus sessionStorage (so a reload keeps the
 * sign-in), never localStorage, a cookie or a URL. Closing the tab or signing out forgets it.
 */
export interface Session extends Identity {
  token: string;
}

const KEY = 'token-ledger.session';
let session: Session | null = read();
const listeners = new Set<() => void>();

function read(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
}

export const currentSession = (): Session | null => session;

export function signIn(next: Session): void {
  session = next;
  sessionStorage.setItem(KEY, JSON.stringify(next));
  listeners.forEach((listener) => listener());
}

export function signOut(): void {
  session = null;
  sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
