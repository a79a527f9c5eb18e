/** File names inside LEDGER_DATA_DIR, shared by the API, the worker and the CLI. */
// The read model's name carries the projection's version: a changed projection starts a fresh rebuild.
export const READ_MODEL_FILE = 'token-list.v1.sqlite';
export const EVENTS_FILE = 'events.sqlite';
// Snapshots of the token list for `asOf`: derived data, rebuilt when missing or not of this store.
export const TOKEN_SNAPSHOTS_FILE = 'token-snapshots.v1.sqlite';
