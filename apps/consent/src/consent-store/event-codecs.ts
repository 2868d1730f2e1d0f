import { typedEventCodec } from '@silta/event-store';
import {
  CAPACITY_EVENT_TYPES,
  CONFIDENTIALITY_EVENT_TYPES,
  CONSENT_EVENT_TYPES,
  type CapacityEvent,
  type ConfidentialityEvent,
  type ConsentEvent,
} from '../domain';

// How consent's three streams are stored: `{ type, ...data }` at schema version 1. When a shape
// changes, raise its schemaVersion here and give the codec an upcast for the older version.

/** A consent's stream `consent-<consentId>`. */
export const consentCodec = typedEventCodec<ConsentEvent>(CONSENT_EVENT_TYPES);

/** A student's confidentiality stream `confidentiality-<studentId>`: declarations and ban assessments. */
export const confidentialityCodec = typedEventCodec<ConfidentialityEvent>(CONFIDENTIALITY_EVENT_TYPES);

/** A student's capacity stream `capacity-<studentId>`: one event per assessment. */
export const capacityCodec = typedEventCodec<CapacityEvent>(CAPACITY_EVENT_TYPES);
