/** Where handlers read the time, so that tests can fix it; the domain only receives it. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('Clock');

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };
