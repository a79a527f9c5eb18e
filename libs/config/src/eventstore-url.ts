import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Checks an EventStoreDB connection string (esdb://host:port[,host:port]?key=value…, or
 * esdb+discover://dns-name:port for a cluster found through DNS) as the client parses it, so a
 * typo stops the start instead of a replica retrying a wrong address forever. Answers what is
 * wrong, or null; never repeats the string itself, which may carry a password.
 */
export function eventStoreUrlProblem(value: string): string | null {
  const match = /^(esdb|esdb\+discover):\/\/(?:([^@/?]*)@)?([^/?]*)\/?(?:\?(.*))?$/.exec(value.trim());
  if (!match) return 'must be an EventStoreDB connection string: esdb://host:2113?tls=false or esdb+discover://cluster-dns:2113';
  const [, scheme, credentials, hosts, query] = match;
  if (credentials !== undefined && !/^[^:]+:.+$/.test(credentials)) return 'has credentials that are not user:password';
  const nodes = hosts.split(',');
  if (scheme === 'esdb+discover' && nodes.length > 1) return 'esdb+discover takes one DNS name, not a list of nodes';
  for (const node of nodes) {
    const hostPort = /^([A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(node);
    if (!hostPort) return `has a node that is not host[:port] (node ${nodes.indexOf(node) + 1})`;
    if (hostPort[2] !== undefined && (Number(hostPort[2]) < 1 || Number(hostPort[2]) > 65535)) return 'has a port outside 1-65535';
  }
  for (const pair of query ? query.split('&') : []) {
    const [key, setting = ''] = pair.split('=');
    const problem = optionProblem(key, setting);
    if (problem) return problem;
  }
  return null;
}

const BOOLEAN = ['tls', 'tlsverifycert'];
const INTEGER = ['maxdiscoverattempts', 'defaultdeadline', 'discoveryinterval', 'gossiptimeout', 'keepaliveinterval', 'keepalivetimeout'];
const FILES = ['tlscafile', 'usercertfile', 'userkeyfile'];
const NODE_PREFERENCES = ['leader', 'follower', 'random', 'readonlyreplica'];
/** The client compares option names and values case-insensitively, ignoring `_` and `-`. */
const flat = (text: string) => text.toLowerCase().replace(/[_-]/g, '');

function optionProblem(key: string, setting: string): string | null {
  const name = flat(key);
  if (BOOLEAN.includes(name)) return setting === 'true' || setting === 'false' ? null : `option ${key} must be true or false`;
  if (INTEGER.includes(name)) return /^\d+$/.test(setting) ? null : `option ${key} must be a whole number`;
  if (FILES.includes(name)) {
    // The client reads these when it is created: a missing file would stop the start less clearly.
    return setting && existsSync(decodeURIComponent(setting)) ? null : `option ${key} names a file that does not exist`;
  }
  if (name === 'connectionname') return setting ? null : `option ${key} needs a value`;
  if (name === 'nodepreference') {
    return NODE_PREFERENCES.includes(flat(setting)) ? null : `option ${key} must be leader, follower, random or read_only_replica`;
  }
  // The ledger relies on a failed append throwing: this option would turn conflicts into successes.
  if (name === 'throwonappendfailure') return 'option throwOnAppendFailure is not supported by the ledger';
  return `has an unknown option ${key}`;
}

/** The embedded store's file name (apps/api/src/store/ledger-store.module.ts, EVENTS_FILE). */
const EMBEDDED_EVENTS_FILE = 'events.sqlite';

/**
 * A data directory that holds an embedded ledger also holds a read model built from it, whose
 * positions mean nothing in EventStoreDB or PostgreSQL. The embedded events are not migrated
 * either, so starting on a server store there would serve a ledger that silently lost its history.
 */
export function embeddedLedgerProblem(dataDir: string): string | null {
  return existsSync(join(dataDir, EMBEDDED_EVENTS_FILE))
    ? `is set, but LEDGER_DATA_DIR (${dataDir}) holds an embedded ledger (${EMBEDDED_EVENTS_FILE}); give the replica a fresh LEDGER_DATA_DIR (embedded events are not migrated)`
    : null;
}
