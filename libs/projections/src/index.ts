export * from './projector';
export * from './rebuild';
export * from './token-index';
export * from './token-list.projection';
export * from './token-list.queries';
export * from './token-list.read-model';
export * from './token-verification';
