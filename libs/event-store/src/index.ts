export * from './event-store.port';
export * from './event-metadata';
export * from './hash-chain';
export * from './handle-command';
export * from './memory-event-store';
export * from './sqlite-event-store';
export * from './esdb/esdb-event-store';
export * from './open-event-store';
