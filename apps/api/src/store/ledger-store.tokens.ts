/** Injection tokens for values that are not classes. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
/** This process's claim on the read models of LEDGER_DATA_DIR (lockDataDir). */
export const DATA_DIR_LOCK = Symbol('DATA_DIR_LOCK');
