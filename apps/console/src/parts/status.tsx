import type { ComponentChildren } from 'preact';
import { expiresSoon } from '../logic/expiry';
import { relativeTime } from '../logic/time-format';

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

export function ExpiryBadge({ expiresAt, status }: { expiresAt: string | null; status: string }) {
  if (!expiresSoon(expiresAt, status)) return null;
  return <span class="badge soon">expires {relativeTime(expiresAt)}</span>;
}

export function Notice({ kind = 'error', children }: { kind?: 'error' | 'info' | 'ok'; children: ComponentChildren }) {
  return (
    <p class={`notice ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}
