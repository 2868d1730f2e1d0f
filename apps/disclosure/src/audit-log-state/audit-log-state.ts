import { Controller, Get, Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DataSource, IsNull } from 'typeorm';
import { z } from 'zod';
import { Refusal } from '@silta/contracts';
import { AuditCheckpointer, COSIGNATURE_STREAM, WITNESS_ALARM_STREAM, guard, type CosignedCheckpoint, type WitnessAlarm } from '@silta/audit-trail';
import type { EventStore } from '@silta/event-store';
import { ConsumerAlarmEntity } from '@silta/messaging';
import { Answers, Caller, EVENT_STORE, Responds, Roles, Summary, orgOf, type Principal } from '@silta/platform';
import { POLICY, policyOf, type PolicyState } from '../shared/policy.provider';

/** How many of the newest cosignatures and witness alarms are read: a console shows the latest, never the whole history. */
const RECENT = 100;

const Instant = z.iso.datetime({ offset: true });
const Cosignature = z.strictObject({ witness: z.string(), witnessKey: z.string(), size: z.number().int().min(0), cosignedAt: Instant });

/** The audit log's state for the auditor's console, in one answer. */
export const AuditLogStateAnswer = z
  .strictObject({
    origin: z.string(),
    /** Events in the log now; the latest checkpoint may cover fewer. */
    logSize: z.number().int().min(0),
    /** The latest signed checkpoint's size and root (base64); null until one is signed. */
    size: z.number().int().min(0).nullable(),
    rootHash: z.string().nullable(),
    /** The latest checkpoint as its C2SP signed note, and when it was signed. */
    checkpoint: z.string().nullable(),
    checkpointedAt: Instant.nullable(),
    /** The witnesses' cosignatures of the latest checkpoint; empty until the peer has cosigned it. */
    cosignatures: z.array(Cosignature),
    /** The newest cosignature of any of this log's checkpoints, to tell a slow witness from none. */
    lastCosigned: Cosignature.nullable(),
    /** Open alarms: the witness's (forks, rewrites, forged signatures) and messages the view could not apply. */
    alarms: z.array(
      z.discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('witness'), origin: z.string(), size: z.number().int().min(0), reason: z.string(), raisedAt: Instant }),
        z.strictObject({ kind: z.literal('consumer'), consumer: z.string(), topic: z.string(), eventType: z.string().nullable(), reason: z.string(), raisedAt: Instant }),
      ]),
    ),
  })
  .meta({ id: 'AuditLogStateAnswer' });
type AuditLogState = z.infer<typeof AuditLogStateAnswer>;
type CosignatureView = z.infer<typeof Cosignature>;

/** An auditor asks for the audit log's state. */
export class ReadAuditLogState {
  constructor(readonly caller: Principal) {}
}

/**
 * The latest checkpoint, its cosignatures and every open alarm, for the municipality's auditor:
 * the log is the municipality's (the controller's, DESIGN.md §4), so another municipality's auditor
 * and a welfare area's (whose own log is receipts') are refused. The parts exist on their own
 * routes (checkpoints/latest, witness); the console needs them as one consistent answer, and the
 * consumer alarms, which no route showed, belong to the same question: can this log be trusted now.
 */
@QueryHandler(ReadAuditLogState)
export class ReadAuditLogStateHandler implements IQueryHandler<ReadAuditLogState> {
  constructor(
    private readonly checkpointer: AuditCheckpointer,
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POLICY) private readonly policy: PolicyState,
  ) {}

  execute({ caller }: ReadAuditLogState): Promise<AuditLogState> {
    this.assertMunicipalityAuditor(caller);
    return guard(async () => {
      const [latest, logSize, cosigned, witnessAlarms, consumerAlarms] = await Promise.all([
        this.checkpointer.latest(),
        this.checkpointer.size(),
        this.newest<CosignedCheckpoint>(COSIGNATURE_STREAM),
        this.newest<WitnessAlarm>(WITNESS_ALARM_STREAM),
        this.dataSource.manager.find(ConsumerAlarmEntity, { where: { resolvedAt: IsNull() }, order: { raisedAt: 'DESC' }, take: RECENT }),
      ]);
      const cosignatures = latest ? cosigned.filter((c) => c.size === latest.size && c.rootHash === latest.rootHash).map(cosignatureView) : [];
      return {
        origin: this.checkpointer.identity.origin,
        logSize,
        size: latest?.size ?? null,
        rootHash: latest?.rootHash ?? null,
        checkpoint: latest?.note ?? null,
        checkpointedAt: latest?.createdAt ?? null,
        cosignatures,
        lastCosigned: cosigned[0] ? cosignatureView(cosigned[0]) : null,
        alarms: [
          ...witnessAlarms.map((a) => ({ kind: 'witness' as const, origin: a.origin, size: a.size, reason: a.reason, raisedAt: a.raisedAt })),
          ...consumerAlarms.map((a) => ({ kind: 'consumer' as const, consumer: a.consumer, topic: a.topic, eventType: a.eventType, reason: a.reason, raisedAt: a.raisedAt.toISOString() })),
        ],
      };
    });
  }

  /** Only an auditor of the policy's municipality; 503 policy_unavailable when no policy says which. */
  private assertMunicipalityAuditor(caller: Principal): void {
    const municipality = policyOf(this.policy).municipality;
    const org = orgOf(caller);
    if (org?.kind !== 'municipality' || org.id !== municipality) {
      throw new Refusal('forbidden', 'other_organisation', "the audit log's state is for the auditors of the municipality whose log it is");
    }
  }

  /** The stream's newest events' data, newest first. */
  private async newest<T>(stream: string): Promise<T[]> {
    return (await this.store.readStream(stream, { direction: 'backwards', maxCount: RECENT })).map((event) => event.data as T);
  }
}

/** A cosignature as the console shows it: the witness by its key's name (C2SP `<name>+<hash>+<key>`). */
function cosignatureView(c: CosignedCheckpoint): CosignatureView {
  return { witness: c.witnessKey.split('+')[0]!, witnessKey: c.witnessKey, size: c.size, cosignedAt: c.cosignedAt };
}

@Controller('v1/audit/log')
export class AuditLogStateController {
  constructor(private readonly queries: QueryBus) {}

  @Get('state')
  @Roles('auditor')
  @Responds({ 403: ['other_organisation'], 500: ['audit_log_diverged'], 503: ['policy_unavailable'] })
  @Answers(AuditLogStateAnswer)
  @Summary(
    "The audit log's state for the municipality's auditor, in one answer: the log's size, the latest signed checkpoint (size, rootHash, the signed note, when), " +
      "the witnesses' cosignatures of it ({witness, witnessKey, size, cosignedAt}), the newest cosignature of any checkpoint, and open alarms " +
      '(witness: forks, rewrites, forged signatures; consumer: messages the view could not apply)',
  )
  state(@Caller() caller: Principal): Promise<AuditLogState> {
    return this.queries.execute(new ReadAuditLogState(caller));
  }
}
