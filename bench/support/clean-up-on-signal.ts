import { constants } from 'node:os';

/**
 * Runs `cleanUp` when the bench is stopped (Ctrl-C, the runner's timeout), so that temporary
 * data directories and servers do not outlive it. Returns the function that removes the handlers.
 */
export function cleanUpOnSignal(cleanUp: () => void): () => void {
  const handler = (signal: NodeJS.Signals) => {
    cleanUp();
    process.exit(128 + constants.signals[signal]);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
