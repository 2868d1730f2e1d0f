import { randomUUID } from 'node:crypto';
import { decodePositionToken } from '@silta/contracts';
import type { Answer } from '../e2e/harness';
import type { FaultStudent, FaultWorld } from './fault-world';

/** One request of the load and what its client was told (status 0: no answer, e.g. the app was killed). */
export interface Exchange {
  readonly kind: 'grant' | 'pause' | 'resume' | 'withdraw' | 'decision';
  readonly studentId: string;
  readonly status: number;
  /** When the request was sent and when its answer came (epoch ms). */
  readonly sentAt: number;
  readonly at: number;
  /** The consent written to (grant: the new one). */
  readonly consentId?: string;
  /** The event an acknowledged consent write appended (its position token names it). */
  readonly eventId?: string;
  readonly requestId?: string;
  /** The consent event a decision had to be consistent with (its consistentWith token names it). */
  readonly consistentWith?: string;
  readonly disclosureId?: string;
  readonly outcome?: string;
  readonly error?: string;
}

/** Where one student's consent stands, as the load's client knows it from acknowledged answers. */
interface StudentState {
  consentId?: string;
  status: 'none' | 'active' | 'paused' | 'withdrawn';
  token?: string;
}

const REQUEST_TIMEOUT_MS = 20_000;
const PAUSE_BETWEEN_MS = 25;

/**
 * A steady mixed load like a municipality's day: guardians granting, pausing, resuming and
 * withdrawing consents, and the curator asking for data on the basis of consent (half the time
 * consistent with the guardian's latest acknowledged write). Each worker owns its own students, so
 * a student's writes never race each other and the client always knows what it was told. Every
 * request and its answer is recorded for the checker; failures are recorded, never retried.
 */
export class MixedLoad {
  readonly exchanges: Exchange[] = [];
  private readonly states = new Map<string, StudentState>();
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly world: FaultWorld,
    private readonly concurrency = 4,
  ) {}

  start(): this {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, (_, w) => this.work(this.world.students.filter((_, i) => i % this.concurrency === w)));
    return this;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** Requests answered since `since` (epoch ms) with a status in `statuses`. */
  answeredSince(since: number, statuses: readonly number[] = [200, 201]): number {
    return this.exchanges.filter((e) => e.at >= since && statuses.includes(e.status)).length;
  }

  /** Answers by kind and status, e.g. { 'decision 200': 180, 'grant 0': 2 }. */
  summary(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.exchanges) counts[`${e.kind} ${e.status}`] = (counts[`${e.kind} ${e.status}`] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  }

  private async work(students: readonly FaultStudent[]): Promise<void> {
    for (let i = 0; this.running; i++) {
      const student = students[i % students.length]!;
      const state = this.states.get(student.studentId) ?? { status: 'none' };
      this.states.set(student.studentId, state);
      // Two decisions to each consent write, over every student alike.
      if (Math.random() < 1 / 3) await this.writeConsent(student, state);
      else await this.decide(student, state, Math.random() < 0.5);
      // A request that got no answer (the app is down) is not retried at once: a client backs off.
      const last = this.exchanges[this.exchanges.length - 1];
      await new Promise((resolve) => setTimeout(resolve, last?.status === 0 ? 250 : PAUSE_BETWEEN_MS));
    }
  }

  private async writeConsent(student: FaultStudent, state: StudentState): Promise<void> {
    const guardian = student.guardian.withTimeout(REQUEST_TIMEOUT_MS);
    const consent = (path: string) => this.world.url('consent', path);
    let kind: Exchange['kind'];
    let call: () => Promise<Answer>;
    if (state.status === 'none' || state.status === 'withdrawn' || !state.consentId) {
      kind = 'grant';
      call = () =>
        guardian.post(consent('/v1/consents'), {
          studentId: student.studentId,
          categories: ['absences', 'grades'],
          recipient: { welfareAreaId: this.world.ids.welfareArea, roles: ['curator'] },
          purpose: 'student welfare assessment',
        });
    } else {
      // active: pause or withdraw; paused: resume or withdraw.
      const withdraw = Math.random() < 0.25;
      kind = withdraw ? 'withdraw' : state.status === 'active' ? 'pause' : 'resume';
      call = () => guardian.post(consent(`/v1/consents/${state.consentId}/${kind}`), kind === 'withdraw' ? { reason: 'fault test' } : {});
    }
    const answer = await this.exchange(call);
    const acknowledged = answer.status === 200 || answer.status === 201;
    const consentId = kind === 'grant' ? (answer.body?.consentId as string | undefined) : state.consentId;
    const token = acknowledged ? (answer.body?.positionToken as string | undefined) : undefined;
    this.record({ kind, studentId: student.studentId, status: answer.status, sentAt: answer.sentAt, consentId, eventId: token ? decodePositionToken(token)?.eventId : undefined, error: errorOf(answer) });
    if (acknowledged) {
      state.consentId = consentId;
      state.status = kind === 'grant' || kind === 'resume' ? 'active' : kind === 'pause' ? 'paused' : 'withdrawn';
      state.token = token;
    } else if (answer.status === 0 || answer.status >= 500) {
      // Unknown whether it was written: start afresh with a new grant next time, which is always allowed.
      state.status = 'none';
      state.consentId = undefined;
    } else if (answer.status === 409 && kind !== 'grant') {
      state.status = 'none';
    }
  }

  private async decide(student: FaultStudent, state: StudentState, consistent: boolean): Promise<void> {
    const requestId = randomUUID();
    const token = consistent ? state.token : undefined;
    const curator = this.world.curator.withTimeout(REQUEST_TIMEOUT_MS);
    const answer = await this.exchange(() =>
      curator.post(this.world.url('disclosure', '/v1/disclosures'), {
        requestId,
        studentId: student.studentId,
        categories: ['absences', 'grades'],
        basis: 'consent',
        purpose: 'student welfare assessment',
        ...(token ? { consistentWith: token } : {}),
      }),
    );
    this.record({
      kind: 'decision',
      studentId: student.studentId,
      status: answer.status,
      sentAt: answer.sentAt,
      requestId,
      consistentWith: token ? decodePositionToken(token)?.eventId : undefined,
      disclosureId: answer.body?.disclosureId,
      outcome: answer.body?.outcome,
      error: errorOf(answer),
    });
  }

  private async exchange(call: () => Promise<Answer>): Promise<Answer & { sentAt: number }> {
    const sentAt = Date.now();
    try {
      return { ...(await call()), sentAt };
    } catch (error) {
      return { status: 0, contentType: '', body: { code: 'no_answer', detail: (error as Error).message }, sentAt };
    }
  }

  private record(exchange: Omit<Exchange, 'at'>): void {
    this.exchanges.push({ ...exchange, at: Date.now() });
  }
}

function errorOf(answer: Answer): string | undefined {
  if (answer.status === 200 || answer.status === 201) return undefined;
  return typeof answer.body === 'object' && answer.body ? `${answer.body.code ?? ''} ${answer.body.detail ?? ''}`.trim() : String(answer.body).slice(0, 200);
}

/**
 * Runs `fault` under a steady mixed load: the load warms up (some answers 2xx), the fault runs,
 * and the load goes on until `recovered` more decisions were answered 200 after the fault returned
 * (the system serves again), then stops. Returns the load for the checker.
 */
export async function underLoad(world: FaultWorld, fault: (load: MixedLoad) => Promise<void>, { warmUp = 20, recovered = 20, timeoutMs = 180_000 } = {}): Promise<MixedLoad> {
  const load = new MixedLoad(world).start();
  try {
    await until(() => load.answeredSince(0) >= warmUp, timeoutMs, () => `the load did not warm up: ${JSON.stringify(load.summary())}`);
    await fault(load);
    const healed = Date.now();
    await until(
      () => load.exchanges.filter((e) => e.kind === 'decision' && e.status === 200 && e.at >= healed).length >= recovered,
      timeoutMs,
      () => `decisions were not answered again after the fault: ${JSON.stringify(load.summary())}`,
    );
  } finally {
    await load.stop();
  }
  return load;
}

async function until(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
