import { Module } from '@nestjs/common';
import { AUDIT_EVENT_SCOPE, AuditLog, AuditLogController, auditTrailProviders, auditTreeEntities } from '@silta/audit-trail';
import { ContractRegistry, Topics, disclosureContracts } from '@silta/contracts';
import { PlatformModule, consumerProvider, relayProvider } from '@silta/platform';
import { ListMissingReceiptsHandler, MissingReceiptsController } from './missing-receipts/missing-receipts';
import { ReceiptsAuditScope } from './receipts-audit-scope';
import { translateReceiptsEvent } from './receipts-relay';
import { RecordReceiptController, RecordReceiptHandler } from './record-receipt/record-receipt';
import { DISCLOSURE_TOPIC_GROUP, DisclosureTopicProjection } from './released/disclosure-topic.projection';
import { ReleasedDisclosureEntity } from './released/released-disclosure.entity';

/**
 * The welfare area's side of the exchange: its professionals' receipts for released disclosures,
 * on the welfare area's own tamper-evident audit log (signed with its own key, AUDIT_SIGNING_KEY),
 * published back on silta.receipts.v1. It witnesses the municipality's audit log (PEER_AUDIT_KEY,
 * PEER_AUDIT_URL): each checkpoint disclosure publishes is verified, checked for consistency and
 * cosigned, and the municipality's cosignatures of its own checkpoints are kept.
 */
@Module({
  imports: [PlatformModule.forService({ service: 'receipts', entities: [ReleasedDisclosureEntity, ...auditTreeEntities] })],
  controllers: [RecordReceiptController, MissingReceiptsController, AuditLogController],
  providers: [
    ...auditTrailProviders,
    { provide: AUDIT_EVENT_SCOPE, useClass: ReceiptsAuditScope },
    AuditLog,
    RecordReceiptHandler,
    ListMissingReceiptsHandler,
    DisclosureTopicProjection,
    relayProvider({ topic: Topics.receipts, translate: translateReceiptsEvent }),
    consumerProvider({
      provide: 'DisclosureTopicConsumer',
      groupId: DISCLOSURE_TOPIC_GROUP,
      topics: [Topics.disclosure],
      contracts: new ContractRegistry([...disclosureContracts]),
      handler: DisclosureTopicProjection,
    }),
  ],
})
export class ReceiptsModule {}
