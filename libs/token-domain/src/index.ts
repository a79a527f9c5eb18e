export * from './duration';
export * from './scope';
export * from './token-value';
export * from './token.commands';
export * from './token.decider';
export * from './token.errors';
export * from './token.events';
export * from './token.state';
