export * from './event-store.port';
export * from './event-metadata';
export * from './hash-chain';
export * from './handle-command';
export * from './memory-event-store';
export * from './sqlite-event-store';
export * from './chain-verifier';
export * from './read-all-pages';
