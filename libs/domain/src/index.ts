/**
 * @netral/domain — the pure heart of Netral: deciders, events, commands, catalogues and NIP rules.
 * It must never import Nest, a database driver, the file system or the clock: time, actor and correlation id
 * arrive with each command.
 */
export * from './shared/domain-error';
export * from './shared/decider';
export * from './events';
export * from './user/user.decider';
export * from './shared/calendar';
export * from './shared/rules';
export * from './shared/plausibility';
export * from './catalogue/acts';
export * from './catalogue/sanctions';
export * from './catalogue/pakta';
export * from './asn/nip';
export * from './election/election.decider';
export * from './opd/opd.decider';
export * from './opd/opd-code.decider';
export * from './asn/asn.decider';
export * from './pledge/pledge.decider';
export * from './case/case.decider';
export * from './certificate/certificate.decider';
