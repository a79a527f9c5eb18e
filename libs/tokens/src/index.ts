export * from './mint-token';
export * from './token-view';
export * from './signing-keys/signing-key-file';
export * from './signing-keys/signing-key-activation';
