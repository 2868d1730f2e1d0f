import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Witness } from '@silta/audit-trail';
import { DisclosureDecidedV1, type ContractPayload } from '@silta/contracts';
import type { IncomingMessage } from '@silta/messaging';
import { ReleasedDisclosureEntity } from './released-disclosure.entity';

/** The consumer group that reads silta.disclosure.v1 into the receipts service. */
export const DISCLOSURE_TOPIC_GROUP = 'receipts-disclosure';

/**
 * What the welfare area takes from the municipality's topic: each disclosure released to its
 * professionals (so receipts can be checked and missing ones listed), each checkpoint of the
 * municipality's audit log (witnessed: verified, checked for consistency, cosigned), and the
 * municipality's cosignatures of the welfare area's own checkpoints (kept).
 */
@Injectable()
export class DisclosureTopicProjection {
  constructor(private readonly witness: Witness) {}

  async handle(message: IncomingMessage, manager: EntityManager): Promise<void> {
    if (await this.witness.apply(message, manager)) return;
    if (message.type === DisclosureDecidedV1.type) await this.released(message.payload as ContractPayload<typeof DisclosureDecidedV1>, manager);
  }

  private async released(decided: ContractPayload<typeof DisclosureDecidedV1>, manager: EntityManager): Promise<void> {
    const released = decided.categories.filter((c) => c.outcome === 'permit').map((c) => c.category);
    if (released.length === 0 || !decided.requester.org.startsWith('welfare-area:')) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ReleasedDisclosureEntity)
      .values({
        disclosureId: decided.disclosureId,
        studentId: decided.studentId,
        requesterSub: decided.requester.sub,
        requesterRole: decided.requester.role,
        requesterOrg: decided.requester.org,
        released: released.join(','),
        decidedAt: decided.decidedAt,
        receiptAt: null,
      })
      .orIgnore()
      .execute();
  }
}
