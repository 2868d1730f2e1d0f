/** Injection tokens for what the platform module provides. */
export const SERVICE_CONFIG = Symbol('ServiceConfig');
export const EVENT_STORE = Symbol('EventStore');
export const KAFKA = Symbol('Kafka');
