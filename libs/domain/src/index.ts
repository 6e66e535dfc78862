/**
 * @netral/domain — the pure heart of Netral: deciders, events, commands, catalogues and NIP rules.
 * It must never import Nest, a database driver, the file system or the clock: time, actor and correlation id
 * arrive with each command.
 */
export * from './shared/domain-error';
export * from './shared/decider';
export * from './events';
export * from './user/user.decider';
