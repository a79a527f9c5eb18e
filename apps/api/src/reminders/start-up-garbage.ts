/**
 * One full garbage collection once the reminder feed has re-read every live token, the start-up
 * work that leaves the most garbage behind: an idle replica's V8 may keep it for minutes (nothing
 * allocates enough to trigger a full collection), and RSS counts it meanwhile. Needs node's
 * `--expose-gc`, which `npm start` and the Dockerfile pass (docs/deployment.md, "Memory");
 * without it, nothing happens. Returns the pause in milliseconds, or null when not collected.
 */
export function collectStartUpGarbage(gc: (() => void) | null = (globalThis as { gc?: () => void }).gc ?? null): number | null {
  if (typeof gc !== 'function') return null;
  const started = performance.now();
  gc();
  return Math.round(performance.now() - started);
}
