/**
 * The disclosure decision domain, plain TypeScript: decide() and its inputs, the reasons and their
 * legal sources, the policy document, what a decision releases, and the audit events that record
 * decisions. The disclosure app decides with it; the auditors' CLI replays recorded decisions with it.
 */
export * from './audit-events';
export * from './data-hash';
export * from './decision';
export * from './policy-document';
export * from './reasons';
export * from './release';
